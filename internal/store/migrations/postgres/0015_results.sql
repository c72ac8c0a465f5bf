-- 0015 results: what every stored result of a policy version shares is
-- kept once, with the version (issue 16, results that cost what they are
-- worth): the ids of its criteria in order, whether the policy is
-- verified, and how it is claimed, as JSON
-- {"criteria":["id",…],"verified":true,"mode":"apply"}. A stored
-- explanation in the compact form then names a criterion by its place in
-- that list, and leaves out the near miss, which its criterion and the
-- result's near_miss column give back. NULL for versions recorded before,
-- whose results keep their JSON explanations.
ALTER TABLE match_policy_versions ADD COLUMN explain_meta TEXT;
