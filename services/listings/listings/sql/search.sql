-- French full-text search of the listings (PostgreSQL), installed by migration 0001.
--
-- The Snowball stemmer of the `french` configuration reads accents: "comptabilité" stems to
-- "comptabl", like "comptable", but "comptabilite" (typed without accents) to "comptabilit".
-- So every text is indexed twice: with `fr_unaccent` (accents removed, then stemmed: finds
-- "électricité" from "electricite") and with `french` (stemmed, then accents removed: finds
-- "comptable" from "comptabilité"); a query word is looked up both ways as well.

CREATE EXTENSION IF NOT EXISTS unaccent;

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'fr_unaccent') THEN
    CREATE TEXT SEARCH CONFIGURATION fr_unaccent (COPY = pg_catalog.french);
    ALTER TEXT SEARCH CONFIGURATION fr_unaccent
      ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
  END IF;
END
$$;

-- Declared IMMUTABLE so that a generated column and the planner may use them: true as long as
-- the unaccent rules do not change (if they do, rebuild with: UPDATE listings SET title = title).
CREATE OR REPLACE FUNCTION listings_unaccent_tsvector(v tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT public.unaccent('public.unaccent'::regdictionary, v::text)::tsvector
$$;

CREATE OR REPLACE FUNCTION listings_unaccent_tsquery(q tsquery) RETURNS tsquery
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT public.unaccent('public.unaccent'::regdictionary, q::text)::tsquery
$$;

-- The query of one word: its lexemes in both analyses (an empty query for a stop word).
CREATE OR REPLACE FUNCTION listings_word_query(word text) RETURNS tsquery
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT plainto_tsquery('public.fr_unaccent', word)
      || listings_unaccent_tsquery(plainto_tsquery('pg_catalog.french', word))
$$;

CREATE OR REPLACE FUNCTION listings_document(body text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT to_tsvector('public.fr_unaccent', body)
      || listings_unaccent_tsvector(to_tsvector('pg_catalog.french', body))
$$;

ALTER TABLE listings ADD COLUMN search tsvector GENERATED ALWAYS AS (
  setweight(listings_document(title), 'A')
  || setweight(listings_document(coalesce(description, '')), 'B')
  || setweight(listings_document(category_label), 'C')
) STORED;

CREATE INDEX ix_listings_search ON listings USING gin (search);
