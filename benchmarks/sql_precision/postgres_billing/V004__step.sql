ALTER TYPE plan_kind ADD VALUE 'team';
