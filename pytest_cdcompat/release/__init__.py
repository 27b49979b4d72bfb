"""The release: every commit on the branch is a deploy step (steps), which directions the pipeline's deploy order
makes required (policy), feature toggles that hide elements until they are turned on (toggles), and the release plan
that names the missing step (plan). See docs/release.md."""
