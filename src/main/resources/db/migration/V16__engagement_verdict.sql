-- Link scanners: every stored open/click carries the verdict of email.EngagementRules and its rule;
-- engagement reports count only PERSON. Rows from before are people as far as anyone knows.
alter table engagement add column verdict varchar(16) default 'PERSON' not null;
alter table engagement add column verdict_rule varchar(40);
create index ix_engagement_message on engagement (message_id, occurred_at);
