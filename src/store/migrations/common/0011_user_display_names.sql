-- People are shown by display name (expand=assignee_id, timelines, the public status page),
-- never by login name: accounts created without one get their login name as a start.
UPDATE users SET display_name = username WHERE display_name = '';
