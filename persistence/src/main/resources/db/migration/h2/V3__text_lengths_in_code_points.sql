-- H2 counts a VARCHAR's length in UTF-16 units, PostgreSQL in code points, and every limit of the
-- service counts code points: an emoji is one code point but two units. The free-text columns get
-- room for twice their limit on H2, so that a value the validator accepts is stored on both; the
-- other text columns hold ASCII only (FieldRules), and initial_prompt has that room already.
ALTER TABLE organizations ALTER COLUMN name SET DATA TYPE VARCHAR(400);
ALTER TABLE api_keys ALTER COLUMN name SET DATA TYPE VARCHAR(200);
