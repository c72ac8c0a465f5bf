package vector

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/cockroachdb/apd/v3"

	"github.com/parkdesk/parkdesk/internal/policy"
)

// FuzzFloatOfText checks the parser of stored decimal texts: it gives the
// float nearest the decimal, and calls a decimal exact only when the
// fixed-point reading gives it back.
func FuzzFloatOfText(f *testing.F) {
	for _, s := range []string{"0", "-0", "123.45", "1000000", "0.0001", "99999999999999.99", "1e5", "12345678901234567890", "-7.5", "abc", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		x, exact, ok := floatOfText(s)
		d, _, err := apd.NewFromString(s)
		if !ok {
			return
		}
		if err != nil || d.Form != apd.Finite {
			t.Fatalf("%q parsed as %v, but it is not a decimal", s, x)
		}
		want, perr := strconv.ParseFloat(d.Text('e'), 64)
		if perr != nil && !math.IsInf(want, 0) {
			t.Fatalf("%q: %v", s, perr)
		}
		if x != want && !(x == 0 && want == 0) {
			t.Fatalf("%q: float %v, want %v", s, x, want)
		}
		if exact {
			fx, ok := fixedOfFloat(x)
			if !ok || fx.decimal().Cmp(d) != 0 {
				t.Fatalf("%q is called exact, but the float gives back %v (%v)", s, fx.decimal(), ok)
			}
		}
	})
}

// FuzzFixedArithmetic checks fixed-point arithmetic against apd: whenever
// it gives a result, it is the exact one.
func FuzzFixedArithmetic(f *testing.F) {
	f.Add(int64(12345), int32(2), int64(3), int32(1))
	f.Add(int64(-1), int32(0), int64(3), int32(0))
	f.Add(int64(math.MaxInt64), int32(0), int64(2), int32(0))
	f.Fuzz(func(t *testing.T, am int64, as int32, bm int64, bs int32) {
		if as < 0 || as > 30 || bs < 0 || bs > 30 {
			return
		}
		a, b := fixed{m: am, s: as}, fixed{m: bm, s: bs}
		da, db := a.decimal(), b.decimal()
		exact := apd.BaseContext.WithPrecision(200)
		check := func(what string, got fixed, ok bool, want *apd.Decimal) {
			if ok && got.decimal().Cmp(want) != 0 {
				t.Fatalf("%s of %v and %v: %v, want %v", what, da, db, got.decimal(), want)
			}
		}
		var want apd.Decimal
		exact.Add(&want, da, db)
		r, ok := fixedAdd(a, b)
		check("sum", r, ok, &want)
		exact.Mul(&want, da, db)
		r, ok = fixedMul(a, b)
		check("product", r, ok, &want)
		if bm != 0 {
			r, ok = fixedQuo(a, b)
			if ok {
				var back apd.Decimal
				exact.Mul(&back, r.decimal(), db)
				if back.Cmp(da) != 0 {
					t.Fatalf("quotient of %v and %v: %v is not exact", da, db, r.decimal())
				}
			}
		}
		if c, ok := fixedCmp(a, b); ok && c != da.Cmp(db) {
			t.Fatalf("comparison of %v and %v: %d", da, db, c)
		}
		if fen, ok := fixedFen(a); ok {
			q := roundDecimalFen(da)
			if q == nil || apd.New(fen, -2).Cmp(q) != 0 {
				t.Fatalf("%v to the fen: %d, want %v", da, fen, q)
			}
		}
	})
}

// FuzzAppendJSONString checks that stored explanation strings are always
// valid JSON that read back as written.
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "hnte", `a"b\c`, "税务局", "\x00\x1f", "<>&", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := appendJSONString(nil, s)
		var back string
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("%q → %s: %v", s, b, err)
		}
		if utf8.ValidString(s) && back != s {
			t.Fatalf("%q read back as %q", s, back)
		}
	})
}

// FuzzDraftPolicy compiles policy files, as `policy simulate` reads them
// from users, and checks that any file the policy engine accepts is
// evaluated by the vector program exactly as the engine does on a few
// generated enterprises (or falls back to the engine), without panics.
func FuzzDraftPolicy(f *testing.F) {
	files, _ := filepath.Glob("../../../policies/*.yaml")
	for _, name := range files {
		if raw, err := os.ReadFile(name); err == nil {
			f.Add(raw)
		}
	}
	set := mustPolicies(f)
	on := time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
	recs := generated(f, 3, 40, on)
	f.Fuzz(func(t *testing.T, raw []byte) {
		draftSet, draft, err := set.CompileDraft("draft.yaml", raw)
		if err != nil {
			return
		}
		prog, err := Compile(&PolicySet{Library: draftSet.Library, Policies: draftSet.Policies[:1], raw: draftSet.raw}, on)
		if err != nil {
			t.Fatalf("the engine loads the draft, the vector compiler fails: %v", err)
		}
		if len(prog.Policies) == 0 {
			return // not in force on the date
		}
		c := prog.RecordsChunk(recs)
		ev, err := prog.Evaluate(c, Records(recs), 1)
		if err != nil {
			t.Fatal(err)
		}
		engine := set.Library.NewEvaluator()
		for r := range recs {
			res := engine.Evaluate(draft, policy.FromRecord(&recs[r]), on)
			want, got := engineSummary(&res), ev.Policies[0].Summary(r)
			if got.Status != want.Status || got.Amount != want.Amount || !slices.Equal(got.Missing, want.Missing) || got.NearMiss != want.NearMiss {
				t.Fatalf("row %d: vector %+v, engine %+v", r, got, want)
			}
		}
	})
}
