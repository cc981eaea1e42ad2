-- A quote approval's card finds its quote by quotes.approval_id (src/app/approval_subject.c):
-- every approvals page looked it up by scanning quotes (review 2026-12-07 #4, L9).
CREATE INDEX quotes_approval ON quotes(approval_id);
