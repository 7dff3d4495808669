-- The indicator's latest value for a recommendation's subject and period (value: the one that raised it),
-- kept by the indicator engine as values change.
alter table recommendations add column current_value float8;
update recommendations set current_value = value;
