-- The ledger becomes one hash chain per contact, so appends of different contacts never wait for
-- one another (there was one ledger_head row lock for every append of every node). contact_seq is
-- an event's gapless position in its contact's chain; seq stays unique (from a sequence, created by
-- migration 20.1 after the highest seq) but is no longer gapless or global. Migration 20.1 verifies
-- the old global chain, numbers and re-chains every contact's events and fills ledger_chain.
alter table consent_event add column contact_seq bigint;

-- The head of each contact's chain, row-locked by an append of that contact only.
create table ledger_chain (
    contact_id       uuid primary key,
    last_contact_seq bigint not null,
    last_hash        char(64) not null
);

-- Signed checkpoints: each seals the heads of all chains under one Merkle root (RFC 6962 hashing)
-- and links to the checkpoint before it; jws is the signed statement (ES256, the hub's ledger key),
-- the other columns repeat its payload for queries. Written only by the leader's sealing route.
create table ledger_checkpoint (
    id        bigint primary key,
    sealed_at timestamp with time zone not null,
    chains    bigint not null,
    events    bigint not null,
    max_seq   bigint not null,
    root      char(64) not null,
    previous  char(64) not null,
    jws       varchar(4000) not null
);

-- One row whose lock a sealer holds, so two members that both believe they lead seal one after the other.
create table ledger_sealer (
    id integer primary key
);
insert into ledger_sealer (id) values (1);

-- The chain heads the latest checkpoint sealed (its Merkle leaves), with the checkpoint that last
-- moved each: verification checks every chain against them, and them against the signed root.
create table ledger_sealed_head (
    contact_id    uuid primary key,
    contact_seq   bigint not null,
    hash          char(64) not null,
    checkpoint_id bigint not null
);
create index ix_ledger_sealed_head_checkpoint on ledger_sealed_head (checkpoint_id);

-- The scheduled verification now continues from the last checkpoint it verified.
alter table ledger_verification add column verified_checkpoint bigint default 0 not null;
