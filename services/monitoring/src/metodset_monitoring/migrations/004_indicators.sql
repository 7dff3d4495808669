-- Indicators as data: the catalogue (a definition with its formula over `facts`, as JSON), the computed
-- values per indicator, period, level and subject, the weights of the composite rating, and the fact kinds
-- changed since the last computation (what a consumer batch leaves for the recomputation to pick up).
create table indicators (
    code       text primary key,
    definition jsonb not null,
    edited     boolean not null default false,  -- changed by a coordinator: the shipped catalogue no longer overwrites it
    updated_at timestamptz not null default now()
);

create table indicator_values (
    code               text not null,
    period             text not null,
    level              text not null check (level in ('region', 'municipality', 'organisation')),
    subject            text not null,           -- 'region', an ОКТМО, or an organisation id
    municipality_oktmo text,                    -- of a municipality's or an organisation's value: for scope
    numerator          numeric not null,
    denominator        numeric,
    value              double precision,        -- null: not computable (a zero denominator)
    computed_at        timestamptz not null default now(),
    primary key (code, period, level, subject)
);
create index indicator_values_by_municipality on indicator_values (code, municipality_oktmo, period);

create table rating_weights (
    code   text primary key,
    weight double precision not null check (weight > 0)
);

create table facts_dirty (
    kind      text primary key,
    marked_at timestamptz not null default clock_timestamp()
);

create index facts_attrs_period on facts (kind, (attrs->>'period'));
