-- Demo CRM: a vtiger-shaped contact store (subset of ../shared/reference/vtiger-contact-schema.sql)
-- seeded with sample contacts. Runs in an in-memory H2 database in MySQL mode; the hub syncs it
-- through the generic JDBC connector configured in config/crm/demo-crm.yaml.
create table if not exists vtiger_crmentity (
  crmid int not null primary key,
  setype varchar(100),
  createdtime datetime not null,
  modifiedtime datetime not null,
  deleted int not null default 0,
  label varchar(255)
);
create table if not exists vtiger_contactdetails (
  contactid int not null primary key,
  contact_no varchar(100) not null,
  firstname varchar(40),
  lastname varchar(80) not null,
  email varchar(100),
  phone varchar(50),
  emailoptout varchar(3) default '0',
  donotcall varchar(3) default '0'
);
create table if not exists vtiger_contactaddress (
  contactaddressid int not null primary key,
  mailingcity varchar(40),
  mailingcountry varchar(40)
);
create table if not exists vtiger_contactscf (
  contactid int not null primary key,
  cf_sales_stage varchar(40),
  cf_national_id varchar(20),
  cf_card_number varchar(32),
  cf_opt_in_status varchar(32),
  cf_stop_processing varchar(3),
  cf_erasure_requested varchar(3)
);

insert into vtiger_crmentity (crmid, setype, createdtime, modifiedtime, deleted, label) values (101, 'Contacts', '2026-10-01 08:00:00', '2026-11-01 09:00:00', 0, 'Anna Andersson');
insert into vtiger_contactdetails (contactid, contact_no, firstname, lastname, email, phone, emailoptout) values (101, 'CON101', 'Anna', 'Andersson', 'anna.andersson@example.com', '+46 8 555 1000', '0');
insert into vtiger_contactaddress (contactaddressid, mailingcity, mailingcountry) values (101, 'City 0', 'Sweden');
insert into vtiger_contactscf (contactid, cf_sales_stage, cf_national_id) values (101, 'prospect', null);
insert into vtiger_crmentity (crmid, setype, createdtime, modifiedtime, deleted, label) values (102, 'Contacts', '2026-10-01 08:00:00', '2026-11-02 09:01:00', 0, 'Bo Berg');
insert into vtiger_contactdetails (contactid, contact_no, firstname, lastname, email, phone, emailoptout) values (102, 'CON102', 'Bo', 'Berg', 'bo.berg@example.com', '+46 8 555 1001', '0');
insert into vtiger_contactaddress (contactaddressid, mailingcity, mailingcountry) values (102, 'City 1', 'Germany');
insert into vtiger_contactscf (contactid, cf_sales_stage, cf_national_id) values (102, 'qualified', '19820412-1714');
insert into vtiger_crmentity (crmid, setype, createdtime, modifiedtime, deleted, label) values (103, 'Contacts', '2026-10-01 08:00:00', '2026-11-03 09:02:00', 0, 'Carl Carlsson');
insert into vtiger_contactdetails (contactid, contact_no, firstname, lastname, email, phone, emailoptout) values (103, 'CON103', 'Carl', 'Carlsson', 'carl.carlsson@example.com', '+46 8 555 1002', '0');
insert into vtiger_contactaddress (contactaddressid, mailingcity, mailingcountry) values (103, 'City 2', 'France');
insert into vtiger_contactscf (contactid, cf_sales_stage, cf_national_id) values (103, 'ready-to-buy', null);
insert into vtiger_crmentity (crmid, setype, createdtime, modifiedtime, deleted, label) values (104, 'Contacts', '2026-10-01 08:00:00', '2026-11-04 09:03:00', 0, 'Dina Dahl');
insert into vtiger_contactdetails (contactid, contact_no, firstname, lastname, email, phone, emailoptout) values (104, 'CON104', 'Dina', 'Dahl', 'dina.dahl@example.com', '+46 8 555 1003', '0');
insert into vtiger_contactaddress (contactaddressid, mailingcity, mailingcountry) values (104, 'City 3', 'United States');
insert into vtiger_contactscf (contactid, cf_sales_stage, cf_national_id) values (104, 'customer', null);
insert into vtiger_crmentity (crmid, setype, createdtime, modifiedtime, deleted, label) values (105, 'Contacts', '2026-10-01 08:00:00', '2026-11-05 09:04:00', 0, 'Erik Ek');
insert into vtiger_contactdetails (contactid, contact_no, firstname, lastname, email, phone, emailoptout) values (105, 'CON105', 'Erik', 'Ek', 'erik.ek@example.com', '+46 8 555 1004', '1');
insert into vtiger_contactaddress (contactaddressid, mailingcity, mailingcountry) values (105, 'City 4', 'Norway');
insert into vtiger_contactscf (contactid, cf_sales_stage, cf_national_id) values (105, 'prospect', '19850715-1735');
insert into vtiger_crmentity (crmid, setype, createdtime, modifiedtime, deleted, label) values (106, 'Contacts', '2026-10-01 08:00:00', '2026-11-06 09:05:00', 0, 'Frida Fors');
insert into vtiger_contactdetails (contactid, contact_no, firstname, lastname, email, phone, emailoptout) values (106, 'CON106', 'Frida', 'Fors', 'frida.fors@example.com', '+46 8 555 1005', '0');
insert into vtiger_contactaddress (contactaddressid, mailingcity, mailingcountry) values (106, 'City 5', 'Spain');
insert into vtiger_contactscf (contactid, cf_sales_stage, cf_national_id) values (106, 'qualified', null);
insert into vtiger_crmentity (crmid, setype, createdtime, modifiedtime, deleted, label) values (107, 'Contacts', '2026-10-01 08:00:00', '2026-11-07 09:06:00', 0, 'Gustav Gran');
insert into vtiger_contactdetails (contactid, contact_no, firstname, lastname, email, phone, emailoptout) values (107, 'CON107', 'Gustav', 'Gran', 'gustav.gran@example.com', '+46 8 555 1006', '0');
insert into vtiger_contactaddress (contactaddressid, mailingcity, mailingcountry) values (107, 'City 6', 'Canada');
insert into vtiger_contactscf (contactid, cf_sales_stage, cf_national_id) values (107, 'ready-to-buy', null);
insert into vtiger_crmentity (crmid, setype, createdtime, modifiedtime, deleted, label) values (108, 'Contacts', '2026-10-01 08:00:00', '2026-11-08 09:07:00', 0, 'Hanna Holm');
insert into vtiger_contactdetails (contactid, contact_no, firstname, lastname, email, phone, emailoptout) values (108, 'CON108', 'Hanna', 'Holm', 'hanna.holm@example.com', '+46 8 555 1007', '0');
insert into vtiger_contactaddress (contactaddressid, mailingcity, mailingcountry) values (108, 'City 7', 'Sweden');
insert into vtiger_contactscf (contactid, cf_sales_stage, cf_national_id) values (108, 'customer', '19880118-1756');
insert into vtiger_crmentity (crmid, setype, createdtime, modifiedtime, deleted, label) values (109, 'Contacts', '2026-10-01 08:00:00', '2026-11-09 09:08:00', 0, 'Isak Isaksson');
insert into vtiger_contactdetails (contactid, contact_no, firstname, lastname, email, phone, emailoptout) values (109, 'CON109', 'Isak', 'Isaksson', 'isak.isaksson@example.com', '+46 8 555 1008', '0');
insert into vtiger_contactaddress (contactaddressid, mailingcity, mailingcountry) values (109, 'City 8', 'Germany');
insert into vtiger_contactscf (contactid, cf_sales_stage, cf_national_id) values (109, 'prospect', null);
insert into vtiger_crmentity (crmid, setype, createdtime, modifiedtime, deleted, label) values (110, 'Contacts', '2026-10-01 08:00:00', '2026-11-01 09:09:00', 0, 'Julia Johansson');
insert into vtiger_contactdetails (contactid, contact_no, firstname, lastname, email, phone, emailoptout) values (110, 'CON110', 'Julia', 'Johansson', 'julia.johansson@example.com', '+46 8 555 1009', '0');
insert into vtiger_contactaddress (contactaddressid, mailingcity, mailingcountry) values (110, 'City 9', 'France');
insert into vtiger_contactscf (contactid, cf_sales_stage, cf_national_id) values (110, 'qualified', null);
insert into vtiger_crmentity (crmid, setype, createdtime, modifiedtime, deleted, label) values (111, 'Contacts', '2026-10-01 08:00:00', '2026-11-02 09:10:00', 0, 'Karl Karlsson');
insert into vtiger_contactdetails (contactid, contact_no, firstname, lastname, email, phone, emailoptout) values (111, 'CON111', 'Karl', 'Karlsson', 'karl.karlsson@example.com', '+46 8 555 1010', '0');
insert into vtiger_contactaddress (contactaddressid, mailingcity, mailingcountry) values (111, 'City 10', 'United States');
insert into vtiger_contactscf (contactid, cf_sales_stage, cf_national_id) values (111, 'ready-to-buy', '19910411-1777');
insert into vtiger_crmentity (crmid, setype, createdtime, modifiedtime, deleted, label) values (112, 'Contacts', '2026-10-01 08:00:00', '2026-11-03 09:11:00', 0, 'Lena Lind');
insert into vtiger_contactdetails (contactid, contact_no, firstname, lastname, email, phone, emailoptout) values (112, 'CON112', 'Lena', 'Lind', 'lena.lind@example.com', '+46 8 555 1011', '1');
insert into vtiger_contactaddress (contactaddressid, mailingcity, mailingcountry) values (112, 'City 11', 'Norway');
insert into vtiger_contactscf (contactid, cf_sales_stage, cf_national_id) values (112, 'customer', null);
insert into vtiger_crmentity (crmid, setype, createdtime, modifiedtime, deleted, label) values (113, 'Contacts', '2026-10-01 08:00:00', '2026-11-04 09:12:00', 0, 'Magnus Moberg');
insert into vtiger_contactdetails (contactid, contact_no, firstname, lastname, email, phone, emailoptout) values (113, 'CON113', 'Magnus', 'Moberg', 'magnus.moberg@example.com', '+46 8 555 1012', '0');
insert into vtiger_contactaddress (contactaddressid, mailingcity, mailingcountry) values (113, 'City 12', 'Spain');
insert into vtiger_contactscf (contactid, cf_sales_stage, cf_national_id) values (113, 'prospect', null);
insert into vtiger_crmentity (crmid, setype, createdtime, modifiedtime, deleted, label) values (114, 'Contacts', '2026-10-01 08:00:00', '2026-11-05 09:13:00', 0, 'Nora Nilsson');
insert into vtiger_contactdetails (contactid, contact_no, firstname, lastname, email, phone, emailoptout) values (114, 'CON114', 'Nora', 'Nilsson', 'nora.nilsson@example.com', '+46 8 555 1013', '0');
insert into vtiger_contactaddress (contactaddressid, mailingcity, mailingcountry) values (114, 'City 13', 'Canada');
insert into vtiger_contactscf (contactid, cf_sales_stage, cf_national_id) values (114, 'qualified', '19940714-1798');
insert into vtiger_crmentity (crmid, setype, createdtime, modifiedtime, deleted, label) values (115, 'Contacts', '2026-10-01 08:00:00', '2026-11-06 09:14:00', 0, 'Oskar Olsson');
insert into vtiger_contactdetails (contactid, contact_no, firstname, lastname, email, phone, emailoptout) values (115, 'CON115', 'Oskar', 'Olsson', 'oskar.olsson@example.com', '+46 8 555 1014', '0');
insert into vtiger_contactaddress (contactaddressid, mailingcity, mailingcountry) values (115, 'City 14', 'Sweden');
insert into vtiger_contactscf (contactid, cf_sales_stage, cf_national_id) values (115, 'ready-to-buy', null);
insert into vtiger_crmentity (crmid, setype, createdtime, modifiedtime, deleted, label) values (116, 'Contacts', '2026-10-01 08:00:00', '2026-11-07 09:15:00', 0, 'Petra Persson');
insert into vtiger_contactdetails (contactid, contact_no, firstname, lastname, email, phone, emailoptout) values (116, 'CON116', 'Petra', 'Persson', 'petra.persson@example.com', '+46 8 555 1015', '0');
insert into vtiger_contactaddress (contactaddressid, mailingcity, mailingcountry) values (116, 'City 15', 'Germany');
insert into vtiger_contactscf (contactid, cf_sales_stage, cf_national_id) values (116, 'customer', null);
insert into vtiger_crmentity (crmid, setype, createdtime, modifiedtime, deleted, label) values (117, 'Contacts', '2026-10-01 08:00:00', '2026-11-08 09:16:00', 0, 'Rasmus Qvist');
insert into vtiger_contactdetails (contactid, contact_no, firstname, lastname, email, phone, emailoptout) values (117, 'CON117', 'Rasmus', 'Qvist', 'rasmus.qvist@example.com', '+46 8 555 1016', '0');
insert into vtiger_contactaddress (contactaddressid, mailingcity, mailingcountry) values (117, 'City 16', 'France');
insert into vtiger_contactscf (contactid, cf_sales_stage, cf_national_id) values (117, 'prospect', '19970117-1819');
insert into vtiger_crmentity (crmid, setype, createdtime, modifiedtime, deleted, label) values (118, 'Contacts', '2026-10-01 08:00:00', '2026-11-09 09:17:00', 0, 'Sara Ruth');
insert into vtiger_contactdetails (contactid, contact_no, firstname, lastname, email, phone, emailoptout) values (118, 'CON118', 'Sara', 'Ruth', 'sara.ruth@example.com', '+46 8 555 1017', '0');
insert into vtiger_contactaddress (contactaddressid, mailingcity, mailingcountry) values (118, 'City 17', 'United States');
insert into vtiger_contactscf (contactid, cf_sales_stage, cf_national_id) values (118, 'qualified', null);
insert into vtiger_crmentity (crmid, setype, createdtime, modifiedtime, deleted, label) values (119, 'Contacts', '2026-10-01 08:00:00', '2026-11-01 09:18:00', 0, 'Tobias Sandberg');
insert into vtiger_contactdetails (contactid, contact_no, firstname, lastname, email, phone, emailoptout) values (119, 'CON119', 'Tobias', 'Sandberg', 'tobias.sandberg@example.com', '+46 8 555 1018', '0');
insert into vtiger_contactaddress (contactaddressid, mailingcity, mailingcountry) values (119, 'City 18', 'Norway');
insert into vtiger_contactscf (contactid, cf_sales_stage, cf_national_id) values (119, 'ready-to-buy', null);
insert into vtiger_crmentity (crmid, setype, createdtime, modifiedtime, deleted, label) values (120, 'Contacts', '2026-10-01 08:00:00', '2026-11-02 09:19:00', 0, 'Ulla Tell');
insert into vtiger_contactdetails (contactid, contact_no, firstname, lastname, email, phone, emailoptout) values (120, 'CON120', 'Ulla', 'Tell', 'ulla.tell@example.com', '+46 8 555 1019', '0');
insert into vtiger_contactaddress (contactaddressid, mailingcity, mailingcountry) values (120, 'City 19', 'Spain');
insert into vtiger_contactscf (contactid, cf_sales_stage, cf_national_id) values (120, 'customer', '19700410-1840');
insert into vtiger_crmentity (crmid, setype, createdtime, modifiedtime, deleted, label) values (121, 'Contacts', '2026-10-01 08:00:00', '2026-11-03 09:20:00', 0, 'Viktor Unger');
insert into vtiger_contactdetails (contactid, contact_no, firstname, lastname, email, phone, emailoptout) values (121, 'CON121', 'Viktor', 'Unger', 'viktor.unger@example.com', '+46 8 555 1020', '0');
insert into vtiger_contactaddress (contactaddressid, mailingcity, mailingcountry) values (121, 'City 20', 'Canada');
insert into vtiger_contactscf (contactid, cf_sales_stage, cf_national_id) values (121, 'prospect', null);
insert into vtiger_crmentity (crmid, setype, createdtime, modifiedtime, deleted, label) values (122, 'Contacts', '2026-10-01 08:00:00', '2026-11-04 09:21:00', 0, 'Wilma Vik');
insert into vtiger_contactdetails (contactid, contact_no, firstname, lastname, email, phone, emailoptout) values (122, 'CON122', 'Wilma', 'Vik', 'wilma.vik@example.com', '+46 8 555 1021', '0');
insert into vtiger_contactaddress (contactaddressid, mailingcity, mailingcountry) values (122, 'City 21', 'Sweden');
insert into vtiger_contactscf (contactid, cf_sales_stage, cf_national_id) values (122, 'qualified', null);
insert into vtiger_crmentity (crmid, setype, createdtime, modifiedtime, deleted, label) values (123, 'Contacts', '2026-10-01 08:00:00', '2026-11-05 09:22:00', 0, 'Yusuf Wall');
insert into vtiger_contactdetails (contactid, contact_no, firstname, lastname, email, phone, emailoptout) values (123, 'CON123', 'Yusuf', 'Wall', 'yusuf.wall@example.com', '+46 8 555 1022', '0');
insert into vtiger_contactaddress (contactaddressid, mailingcity, mailingcountry) values (123, 'City 22', 'Germany');
insert into vtiger_contactscf (contactid, cf_sales_stage, cf_national_id) values (123, 'ready-to-buy', '19730713-1861');
insert into vtiger_crmentity (crmid, setype, createdtime, modifiedtime, deleted, label) values (124, 'Contacts', '2026-10-01 08:00:00', '2026-11-06 09:23:00', 0, 'Zelda Xu');
insert into vtiger_contactdetails (contactid, contact_no, firstname, lastname, email, phone, emailoptout) values (124, 'CON124', 'Zelda', 'Xu', 'not-an-email-address', '+46 8 555 1023', '0');
insert into vtiger_contactaddress (contactaddressid, mailingcity, mailingcountry) values (124, 'City 23', 'France');
insert into vtiger_contactscf (contactid, cf_sales_stage, cf_national_id) values (124, 'customer', null);
insert into vtiger_crmentity (crmid, setype, createdtime, modifiedtime, deleted, label) values (125, 'Contacts', '2026-10-01 08:00:00', '2026-11-07 09:24:00', 0, 'Ali Ylva');
insert into vtiger_contactdetails (contactid, contact_no, firstname, lastname, email, phone, emailoptout) values (125, 'CON125', 'Ali', 'Ylva', 'ali.ylva@example.com', '+46 8 555 1024', '0');
insert into vtiger_contactaddress (contactaddressid, mailingcity, mailingcountry) values (125, 'City 24', 'United States');
insert into vtiger_contactscf (contactid, cf_sales_stage, cf_national_id) values (125, 'prospect', null);
-- Card numbers the sales team keeps for customers ready to buy (test numbers). The hub stores one
-- only with the contact's storage consent (store-card-number, "no" until answered), sealed.
update vtiger_contactscf set cf_card_number = '4111 1111 1111 1234' where contactid = 103;
update vtiger_contactscf set cf_card_number = '5555 5555 5555 4444' where contactid = 107;
