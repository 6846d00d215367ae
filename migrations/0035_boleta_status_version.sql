-- Every status change of a boleta counts one more (workflow.set_status). A staff form or an API
-- client says which count it decided on (a hidden field; If-Match on the API); a change decided
-- on an older count is refused, so two people routing the same boleta at once cannot both act
-- and the second cannot silently undo the first. A constant default: no table rewrite.
ALTER TABLE boleta ADD COLUMN status_version integer NOT NULL DEFAULT 0;
