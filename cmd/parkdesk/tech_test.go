package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tech match without a database: the hand-written files of internal/tech
// rank each need's own achievement first, and the output has the shape the
// brief gives.
func TestTechMatchPrintsRankedAchievementsWithReasons(t *testing.T) {
	dir := "../../internal/tech/testdata"
	stdout, stderr, err := runCmd(t, "tech", "match", "--achievements", filepath.Join(dir, "handmade_achievements.csv"),
		"--needs", filepath.Join(dir, "handmade_needs.csv"), "--top", "2")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	var out struct {
		Matches []struct {
			Need         string   `json:"need"`
			Achievements []string `json:"achievements"`
			Why          []struct {
				Achievement string   `json:"achievement"`
				SharedTerms []string `json:"shared_terms"`
				Reason      string   `json:"reason"`
			} `json:"why"`
		} `json:"matches"`
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	if len(out.Matches) != 12 {
		t.Fatalf("%d matches, want 12", len(out.Matches))
	}
	for _, m := range out.Matches {
		if len(m.Achievements) != 2 || len(m.Why) != 2 || m.Why[0].Achievement != m.Achievements[0] {
			t.Errorf("need %s: %+v", m.Need, m)
			continue
		}
		if want := "A" + strings.TrimPrefix(m.Need, "N"); m.Achievements[0] != want {
			t.Errorf("need %s ranked %v first, want %s", m.Need, m.Achievements, want)
		}
		if len(m.Why[0].SharedTerms) == 0 || m.Why[0].Reason == "" {
			t.Errorf("need %s: no reason: %+v", m.Need, m.Why[0])
		}
	}
}

func TestTechMatchNamesTheBadRow(t *testing.T) {
	dir := t.TempDir()
	ach := filepath.Join(dir, "a.csv")
	needs := filepath.Join(dir, "n.csv")
	os.WriteFile(ach, []byte("code,title,holder,field,keywords,abstract,maturity,transfer_mode\nA1,,h,新材料,k,a,中试,转让\n"), 0o600)
	os.WriteFile(needs, []byte("code,enterprise,title,description\nN1,e,t,d\n"), 0o600)
	stdout, _, err := runCmd(t, "tech", "match", "--achievements", ach, "--needs", needs)
	if err == nil || stdout != "" {
		t.Fatalf("err %v, stdout %q: want an error and no output", err, stdout)
	}
	if msg := err.Error(); !strings.Contains(msg, "a.csv row 2") || !strings.Contains(msg, "field title") {
		t.Errorf("error %q does not name a.csv row 2, field title", msg)
	}
	if _, _, err := runCmd(t, "tech", "match", "--needs", needs); err == nil {
		t.Error("tech match without --achievements succeeded")
	}
}

// tech import loads the catalogue into the database all or nothing; a dry
// run writes nothing, and a bad row names itself.
func TestTechImport(t *testing.T) {
	db := filepath.Join(t.TempDir(), "park.db")
	file := "../../internal/tech/testdata/handmade_achievements.csv"
	out, stderr, err := runCmd(t, "--db", db, "tech", "import", "--dry-run", "--achievements", file)
	if err != nil || !strings.Contains(out, "36 rows checked") {
		t.Fatalf("dry run: %q %q %v", out, stderr, err)
	}
	out, _, err = runCmd(t, "--db", db, "tech", "import", "--achievements", file)
	if err != nil || !strings.Contains(out, "36 rows imported: 36 new, 0 updated") {
		t.Fatalf("import: %q %v", out, err)
	}
	out, _, err = runCmd(t, "--db", db, "tech", "import", "--achievements", file)
	if err != nil || !strings.Contains(out, "0 new, 36 updated") {
		t.Fatalf("again: %q %v", out, err)
	}
	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte("code,title,holder,field,keywords,abstract,maturity,transfer_mode\nB1,好,某大学,新材料,k,a,成熟,转让\n"), 0o600)
	if _, _, err := runCmd(t, "--db", db, "tech", "import", "--achievements", bad); err == nil || !strings.Contains(err.Error(), "bad.csv row 2") {
		t.Errorf("a bad file: %v", err)
	}
}
