-- Issued documents with verification codes (kit/documents): certificates now, diplomas later, in every service
-- that issues them. The code is kept only as its SHA-256 digest (the lookup key); `shows` is exactly what the
-- document shows (the public verification answers with it); `pdf` is the document as issued.
create table issued_documents (
    id uuid primary key,
    kind text not null,
    subject text not null,
    holder text not null,
    code_digest bytea not null unique,
    shows jsonb not null,
    pdf bytea not null,
    issued_at timestamptz not null default now(),
    issued_by text not null,
    revoked_at timestamptz,
    revoked_by text,
    revoke_reason text
);
-- One valid document per kind, subject and holder: issuing again answers the one already issued.
create unique index issued_documents_valid on issued_documents (kind, subject, holder) where revoked_at is null;
create index issued_documents_subject on issued_documents (kind, subject);
