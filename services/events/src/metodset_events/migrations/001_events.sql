-- Methodical events, plans, competitions and olympiads arrive in later issues; this marks the schema's start.
create table service_info (key text primary key, value text not null);
insert into service_info values ('domain', 'events');
