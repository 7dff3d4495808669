-- Recommendation rules (data, edited by the regional coordinator) and the addressed recommendations they raise
-- when an indicator value crosses a threshold: one per (rule, subject, period).
create table recommendation_rules (
    code        text primary key,
    indicator   text not null,
    level       text not null check (level in ('region', 'municipality', 'organisation')),
    threshold   numeric not null,
    direction   text not null check (direction in ('below', 'above')),
    addressee   text not null check (addressee in ('region', 'methodical_service', 'organisation')),
    template    text not null,
    due_days    int not null check (due_days between 1 and 365),
    active      boolean not null default true,
    updated_by  text,
    updated_at  timestamptz not null default now()
);
create index recommendation_rules_indicator on recommendation_rules (indicator, level) where active;

create table recommendations (
    id                 uuid primary key,
    rule               text not null references recommendation_rules (code),
    indicator          text not null,
    period             text not null,
    level              text not null,
    subject            text not null,             -- "region", an ОКТМО or an organisation id
    municipality_oktmo text,                      -- null: the region's own recommendation
    organisation_id    uuid,
    addressee          text not null,
    text               text not null,
    value              double precision,
    threshold          double precision not null,
    raised_on          date not null,
    due_on             date not null,
    status             text not null default 'raised',
    assignee_id        uuid,
    closed_on          date,
    evidence_text      text,
    evidence_link      text,
    cancel_reason      text,
    value_returned_on  date,
    version            int not null default 1,
    updated_at         timestamptz not null default now(),
    unique (rule, subject, period)
);
create index recommendations_municipality on recommendations (municipality_oktmo, status);
create index recommendations_organisation on recommendations (organisation_id) where organisation_id is not null;

-- Seed rules on the indicators whose codes are part of the contract.
insert into recommendation_rules (code, indicator, level, threshold, direction, addressee, template, due_days) values
 ('upgraded_3y_low_organisation', 'staff_upgraded_3y_share', 'organisation', 0.8, 'below', 'organisation',
  'Доля педагогов, повысивших квалификацию за три года, — {value} (порог {threshold}) за {period}. Составьте график '
  'курсовой подготовки для педагогов без повышения квалификации.', 60),
 ('upgraded_3y_low_municipality', 'staff_upgraded_3y_share', 'municipality', 0.85, 'below', 'methodical_service',
  'Доля педагогов муниципалитета, повысивших квалификацию за три года, — {value} (порог {threshold}) за {period}. '
  'Спланируйте курсы для школ с наименьшей долей.', 90),
 ('young_mentored_low_municipality', 'young_specialists_mentored_share', 'municipality', 0.9, 'below',
  'methodical_service', 'Наставник закреплён за долей молодых специалистов {value} (порог {threshold}) за {period}. '
  'Закрепите наставников за молодыми специалистами без наставника.', 30),
 ('plan_fulfilled_low_municipality', 'plan_fulfilled_share', 'municipality', 0.7, 'below', 'methodical_service',
  'Годовой план выполнен на {value} (порог {threshold}) за {period}. Проанализируйте невыполненные пункты плана.',
  30);
