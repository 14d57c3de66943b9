-- Search facets in one pass (R-CAT-1, R-CAT-5): each listing carries the
-- facet values it counts towards as one array ("l:undergraduate",
-- "f:51.3801", "s:TX", "a:1000_4999", "r:true", "e:false"; "l:*" etc. for no
-- restriction), so counting every facet of a result set is a single
-- unnest + group by instead of one scan per facet. IMMUTABLE, so it can
-- define a stored generated column (migration 0009).
CREATE FUNCTION "catalog"."facet_keys"(levels text[], fields text[], states text[], award_max integer, renewable boolean, essay boolean)
RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT
    (SELECT coalesce(array_agg('l:' || v), '{}') FROM unnest(CASE WHEN cardinality(levels) = 0 THEN ARRAY['*'] ELSE levels END) v) ||
    (SELECT coalesce(array_agg('f:' || v), '{}') FROM unnest(CASE WHEN cardinality(fields) = 0 THEN ARRAY['*'] ELSE fields END) v) ||
    (SELECT coalesce(array_agg('s:' || v), '{}') FROM unnest(CASE WHEN cardinality(states) = 0 THEN ARRAY['*'] ELSE states END) v) ||
    ARRAY[
      'a:' || CASE
        WHEN award_max IS NULL THEN 'unspecified'
        WHEN award_max < 100000 THEN 'under_1000'
        WHEN award_max < 500000 THEN '1000_4999'
        WHEN award_max < 1000000 THEN '5000_9999'
        ELSE '10000_plus' END,
      'r:' || renewable::text,
      'e:' || essay::text]
$$;
