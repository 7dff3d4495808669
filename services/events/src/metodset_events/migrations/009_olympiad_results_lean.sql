-- Results are written in hundreds of thousands per protocol: keep only the indexes a query uses. Pages read
-- olympiad_results_page, ratings read the published protocol rows, last year's winners are found through their
-- stage (the primary key): the indexes by code and by score cost every import and serve nothing.
drop index olympiad_results_code;
drop index olympiad_results_rating;
