-- Contact details and ОГРН of an organisation: public facts of the region's directory, all optional.
-- The full rules (checksums, shapes of e-mail and website) are the service's; these only bound the data.
alter table organisations
    add column ogrn    text check (ogrn ~ '^[0-9]{13}$'),
    add column address text check (length(address) between 1 and 500),
    add column phone   text check (length(phone) between 1 and 40),
    add column email   text check (length(email) between 1 and 254),
    add column website text check (length(website) between 1 and 500);
