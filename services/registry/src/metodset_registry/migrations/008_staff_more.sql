-- The reference catalogues' starting items (metodset_contracts.reference: positions, subjects, body_kinds),
-- seeded here rather than at startup after all: a migration runs wherever the schema does (services, tests,
-- tools) and needs no start hook in the kit. A test compares this seed with the JSON files; a later change of
-- the reference data comes with a migration of its own. Regions add their items through the API.
insert into catalogue_items (catalogue, code, title, extra) values
    ('positions', 'teacher', 'учитель', '{"group": "pedagogical"}'),
    ('positions', 'lecturer', 'преподаватель', '{"group": "pedagogical"}'),
    ('positions', 'educator', 'воспитатель', '{"group": "pedagogical"}'),
    ('positions', 'senior_educator', 'старший воспитатель', '{"group": "pedagogical"}'),
    ('positions', 'supplementary_teacher', 'педагог дополнительного образования', '{"group": "pedagogical"}'),
    ('positions', 'senior_supplementary_teacher', 'старший педагог дополнительного образования', '{"group": "pedagogical"}'),
    ('positions', 'psychologist', 'педагог-психолог', '{"group": "pedagogical"}'),
    ('positions', 'social_pedagogue', 'социальный педагог', '{"group": "pedagogical"}'),
    ('positions', 'speech_therapist', 'учитель-логопед', '{"group": "pedagogical"}'),
    ('positions', 'defectologist', 'учитель-дефектолог', '{"group": "pedagogical"}'),
    ('positions', 'methodist', 'методист', '{"group": "pedagogical"}'),
    ('positions', 'senior_methodist', 'старший методист', '{"group": "pedagogical"}'),
    ('positions', 'tutor', 'тьютор', '{"group": "pedagogical"}'),
    ('positions', 'organiser', 'педагог-организатор', '{"group": "pedagogical"}'),
    ('positions', 'librarian', 'педагог-библиотекарь', '{"group": "pedagogical"}'),
    ('positions', 'music_director', 'музыкальный руководитель', '{"group": "pedagogical"}'),
    ('positions', 'accompanist', 'концертмейстер', '{"group": "pedagogical"}'),
    ('positions', 'pe_instructor', 'инструктор по физической культуре', '{"group": "pedagogical"}'),
    ('positions', 'labour_instructor', 'инструктор по труду', '{"group": "pedagogical"}'),
    ('positions', 'instructor_methodist', 'инструктор-методист', '{"group": "pedagogical"}'),
    ('positions', 'senior_instructor_methodist', 'старший инструктор-методист', '{"group": "pedagogical"}'),
    ('positions', 'coach', 'тренер-преподаватель', '{"group": "pedagogical"}'),
    ('positions', 'senior_coach', 'старший тренер-преподаватель', '{"group": "pedagogical"}'),
    ('positions', 'security_teacher', 'преподаватель-организатор основ безопасности и защиты Родины', '{"group": "pedagogical"}'),
    ('positions', 'pe_head', 'руководитель физического воспитания', '{"group": "pedagogical"}'),
    ('positions', 'vocational_master', 'мастер производственного обучения', '{"group": "pedagogical"}'),
    ('positions', 'senior_counsellor', 'старший вожатый', '{"group": "pedagogical"}'),
    ('positions', 'upbringing_adviser', 'советник директора по воспитанию и взаимодействию с детскими общественными объединениями', '{"group": "pedagogical"}'),
    ('positions', 'director', 'директор (заведующий)', '{"group": "managerial"}'),
    ('positions', 'deputy_director', 'заместитель директора', '{"group": "managerial"}'),
    ('positions', 'unit_head', 'руководитель структурного подразделения', '{"group": "managerial"}'),
    ('subjects', 'primary', 'начальные классы', '{}'),
    ('subjects', 'russian', 'русский язык', '{"olympiad": true}'),
    ('subjects', 'literature', 'литература', '{"olympiad": true}'),
    ('subjects', 'native_language', 'родной язык и литература', '{}'),
    ('subjects', 'mathematics', 'математика', '{"olympiad": true}'),
    ('subjects', 'informatics', 'информатика', '{"olympiad": true}'),
    ('subjects', 'physics', 'физика', '{"olympiad": true}'),
    ('subjects', 'astronomy', 'астрономия', '{"olympiad": true}'),
    ('subjects', 'chemistry', 'химия', '{"olympiad": true}'),
    ('subjects', 'biology', 'биология', '{"olympiad": true}'),
    ('subjects', 'ecology', 'экология', '{"olympiad": true}'),
    ('subjects', 'geography', 'география', '{"olympiad": true}'),
    ('subjects', 'history', 'история', '{"olympiad": true}'),
    ('subjects', 'social_studies', 'обществознание', '{"olympiad": true}'),
    ('subjects', 'law', 'право', '{"olympiad": true}'),
    ('subjects', 'economics', 'экономика', '{"olympiad": true}'),
    ('subjects', 'english', 'английский язык', '{"olympiad": true}'),
    ('subjects', 'german', 'немецкий язык', '{"olympiad": true}'),
    ('subjects', 'french', 'французский язык', '{"olympiad": true}'),
    ('subjects', 'spanish', 'испанский язык', '{"olympiad": true}'),
    ('subjects', 'italian', 'итальянский язык', '{"olympiad": true}'),
    ('subjects', 'chinese', 'китайский язык', '{"olympiad": true}'),
    ('subjects', 'art', 'искусство (мировая художественная культура)', '{"olympiad": true}'),
    ('subjects', 'fine_arts', 'изобразительное искусство', '{}'),
    ('subjects', 'music', 'музыка', '{}'),
    ('subjects', 'technology', 'технология (труд)', '{"olympiad": true}'),
    ('subjects', 'physical_education', 'физическая культура', '{"olympiad": true}'),
    ('subjects', 'security', 'основы безопасности и защиты Родины', '{"olympiad": true}'),
    ('subjects', 'religious_culture', 'основы религиозных культур и светской этики', '{}'),
    ('subjects', 'preschool', 'дошкольное образование', '{}'),
    ('subjects', 'special_education', 'коррекционная педагогика', '{}'),
    ('subjects', 'supplementary', 'дополнительное образование', '{}'),
    ('body_kinds', 'regional_coordination_council', 'координационный совет РМС', '{"group": "council", "level": "regional"}'),
    ('body_kinds', 'municipal_methodical_council', 'муниципальный методический совет', '{"group": "council", "level": "municipal"}'),
    ('body_kinds', 'school_methodical_council', 'методический совет ОО (ШМС)', '{"group": "council", "level": "organisation"}'),
    ('body_kinds', 'regional_association', 'региональное учебно-методическое объединение (УМО)', '{"group": "association", "level": "regional"}'),
    ('body_kinds', 'municipal_association', 'районное (городское) методическое объединение (РМО/ГМО)', '{"group": "association", "level": "municipal", "subject": true}'),
    ('body_kinds', 'school_association', 'школьное методическое объединение (ШМО)', '{"group": "association", "level": "organisation", "subject": true}'),
    ('body_kinds', 'department', 'кафедра', '{"group": "association", "level": "organisation", "subject": true}'),
    ('body_kinds', 'professional_community', 'профессиональное сообщество, ассоциация', '{"group": "community", "level": "any"}'),
    ('body_kinds', 'young_teachers_council', 'совет молодых педагогов', '{"group": "community", "level": "any"}'),
    ('body_kinds', 'creative_group', 'творческая группа', '{"group": "temporary", "level": "any"}'),
    ('body_kinds', 'problem_group', 'проблемная группа', '{"group": "temporary", "level": "any"}'),
    ('body_kinds', 'project_group', 'проектная группа', '{"group": "temporary", "level": "any"}'),
    ('body_kinds', 'working_group', 'рабочая группа', '{"group": "temporary", "level": "any"}')
on conflict do nothing;

-- Days of experience of a person at the end of `p_day` (pedagogical: positions of the group «pedagogical»
-- only): the union of the days worked (overlaps once), counted after the date of the declared experience,
-- plus the declared days. The same rule as metodset_registry.domain.experience, for list filters.
create function staff_experience_days(p_person uuid, p_day date, p_pedagogical boolean) returns int
language sql stable as $$
    with declared as (
        select case when p_pedagogical then coalesce(experience_before_pedagogical_days, 0)
                    else coalesce(experience_before_days, 0) end as days,
               coalesce(experience_before_on + 1, '-infinity'::date) as counted_from
          from persons where id = p_person),
    worked as (
        select greatest(t.valid_from, d.counted_from) as first_day, least(t.valid_to, e.end_date, p_day) as last_day
          from employments e
          join employment_terms t on t.employment_id = e.id
          cross join declared d
         where e.person_id = p_person
           and (not p_pedagogical or exists (
                   select 1 from catalogue_items c
                    where c.catalogue = 'positions' and c.code = t.position and c.extra ->> 'group' = 'pedagogical')))
    select (d.days + coalesce((
               select sum(upper(r) - lower(r))
                 from unnest((select range_agg(daterange(first_day, last_day, '[]')) from worked
                               where first_day <= last_day)) r), 0))::int
      from declared d
$$;

