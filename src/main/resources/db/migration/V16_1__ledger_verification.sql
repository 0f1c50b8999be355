-- Scheduled, incremental ledger verification (consent.LedgerWatch): how far the chain is verified,
-- where the rotating per-contact check stands, and what the runs found. One row, shared by the
-- cluster, so whichever member leads continues where the last one stopped.
create table ledger_verification (
    id                  integer primary key,
    verified_seq        bigint not null,
    verified_hash       char(64) not null,
    contact_cursor      uuid,
    cycle_problems      integer not null,
    last_cycle_problems integer not null,
    cycles_completed    bigint not null,
    last_run_at         timestamp with time zone,
    last_problem        varchar(1000)
);
insert into ledger_verification (id, verified_seq, verified_hash, contact_cursor, cycle_problems, last_cycle_problems,
                                 cycles_completed, last_run_at, last_problem)
values (1, 0, '0000000000000000000000000000000000000000000000000000000000000000', null, 0, 0, 0, null, null);
