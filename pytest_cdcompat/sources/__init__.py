"""Reading inputs: files and git revisions (``source``), YAML 1.2 on the C loader (``yamlio``), parsed documents
(``documents``), ``$ref`` resolution on ``referencing`` (``refs``) and the git base of a branch (``gitbase``).
"""
