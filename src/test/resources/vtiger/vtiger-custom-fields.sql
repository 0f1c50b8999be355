-- The custom fields config/crm/vtiger.yaml.example writes back into, as vtiger's layout editor adds them.
ALTER TABLE vtiger_contactscf ADD COLUMN cf_901 varchar(50) DEFAULT '';
ALTER TABLE vtiger_contactscf ADD COLUMN cf_902 varchar(3) DEFAULT '0';
ALTER TABLE vtiger_contactscf ADD COLUMN cf_903 varchar(3) DEFAULT '0';
ALTER TABLE vtiger_contactscf ADD COLUMN cf_904 varchar(3) DEFAULT '0';
ALTER TABLE vtiger_contactscf ADD COLUMN cf_905 varchar(3) DEFAULT '0';
