-- A CRM that keeps unsubscribes in a joined email-address table: opting out there does not move
-- the person's modification time. Two copies, one per test connector.
create table if not exists people_a (id int primary key, email varchar(200), modified timestamp);
create table if not exists optouts_a (person_id int primary key, opted_out int, changed timestamp);
create table if not exists people_b (id int primary key, email varchar(200), modified timestamp);
create table if not exists optouts_b (person_id int primary key, opted_out int, changed timestamp);
