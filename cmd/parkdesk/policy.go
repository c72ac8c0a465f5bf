package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/policy"
	"github.com/parkdesk/parkdesk/policies"
)

// policySubcommand is one of `parkdesk policy lint|test|eval …`.
type policySubcommand struct {
	name  string
	usage string
	run   func(ctx context.Context, e env, cfg *config, args []string) error
}

// policySubcommands lists the subcommands; matching adds simulate here.
func policySubcommands() []policySubcommand {
	return []policySubcommand{
		{"lint", "lint [DIR]", policyLint},
		{"test", "test [-v] [-run REGEXP] [DIR]", policyTest},
		{"eval", "eval [--policies DIR] [--policy-local FILE] [--policy ID] [--on YYYY-MM-DD] FILE.json|-", policyEval},
		{"simulate", "simulate [--on YYYY-MM-DD] [--policies DIR] [--limit N] [--json] FILE.yaml", policySimulate},
	}
}

func policyCommand() command {
	var lines, names []string
	for _, s := range policySubcommands() {
		lines = append(lines, "  parkdesk policy "+s.usage)
		names = append(names, s.name)
	}
	return command{
		name:  "policy",
		usage: strings.Join(names, "|") + " …",
		summary: "Policies as code: check the policy files (lint), run their own test cases (test),\n" +
			"evaluate enterprise records against them without a database (eval).\n" + strings.Join(lines, "\n"),
		setup: func(_ *flag.FlagSet, cfg *config) func(context.Context, env, []string) error {
			return func(ctx context.Context, e env, args []string) error {
				if len(args) == 0 {
					return usagef("name a policy subcommand: %s", strings.Join(names, ", "))
				}
				for _, s := range policySubcommands() {
					if s.name == args[0] {
						return s.run(ctx, e, cfg, args[1:])
					}
				}
				return usagef("unknown policy subcommand %q (want %s)", args[0], strings.Join(names, ", "))
			}
		},
	}
}

// defaultPolicyDir is where lint and test look when no directory is named.
const defaultPolicyDir = "policies"

func subFlags(e env, name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet("parkdesk policy "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "usage: parkdesk policy %s\n", usage)
		fs.PrintDefaults()
	}
	return fs
}

// parseSub parses flags that may come before or after the positional
// arguments ("lint policies -v" as well as "lint -v policies").
func parseSub(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, errUsage
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

func policyDirArg(args []string) (string, error) {
	switch len(args) {
	case 0:
		return defaultPolicyDir, nil
	case 1:
		return args[0], nil
	}
	return "", usagef("name at most one policy directory")
}

// loadPolicies loads a directory, printing every problem as file:line:col.
// The library of the policies without problems is returned with the error.
func loadPolicies(e env, dir string) (*policy.Library, error) {
	lib, err := policy.LoadDir(dir, facts.Builtin())
	var le *policy.LoadError
	if errors.As(err, &le) {
		for _, i := range le.Issues {
			fmt.Fprintln(e.stdout, i.String())
		}
		return lib, err
	}
	return lib, err
}

func policyLint(_ context.Context, e env, _ *config, args []string) error {
	fs := subFlags(e, "lint", "lint [DIR]\n\nLoads every policy file of DIR (default policies) and reports each problem as file:line:column.")
	rest, err := parseSub(fs, args)
	if err != nil {
		return helpOrUsage(err)
	}
	dir, err := policyDirArg(rest)
	if err != nil {
		return err
	}
	lib, err := loadPolicies(e, dir)
	var le *policy.LoadError
	switch {
	case errors.As(err, &le):
		fmt.Fprintf(e.stderr, "parkdesk policy lint: %d problem(s) in %s\n", len(le.Issues), dir)
		return errSilentFailure
	case err != nil:
		return err
	}
	n := len(lib.Policies())
	if n == 0 {
		fmt.Fprintf(e.stderr, "parkdesk policy lint: no policy files (*.yaml) in %s\n", dir)
		return errSilentFailure
	}
	fmt.Fprintf(e.stdout, "%d policies in %s, no problems\n", n, dir)
	return nil
}

func policyTest(_ context.Context, e env, _ *config, args []string) error {
	fs := subFlags(e, "test", "test [-v] [-run REGEXP] [DIR]\n\nRuns the test cases of every policy of DIR (default policies); output and exit status like go test.")
	verbose := fs.Bool("v", false, "list every case, not only the failures")
	runPattern := fs.String("run", "", "run only the cases whose policy/name matches this regular expression")
	rest, err := parseSub(fs, args)
	if err != nil {
		return helpOrUsage(err)
	}
	dir, err := policyDirArg(rest)
	if err != nil {
		return err
	}
	var filter *regexp.Regexp
	if *runPattern != "" {
		if filter, err = regexp.Compile(*runPattern); err != nil {
			return usagef("-run: %v", err)
		}
	}
	lib, loadErr := loadPolicies(e, dir)
	if lib == nil {
		return loadErr
	}
	passed, failed := 0, 0
	perPolicy := map[string][2]int{}
	var order []string
	for _, t := range lib.RunTests() {
		full := t.Policy + "/" + t.Name
		if filter != nil && !filter.MatchString(full) {
			continue
		}
		if _, seen := perPolicy[t.Policy]; !seen {
			order = append(order, t.Policy)
		}
		counts := perPolicy[t.Policy]
		if t.Passed() {
			passed++
			counts[0]++
			if *verbose {
				fmt.Fprintf(e.stdout, "--- PASS: %s\n", full)
			}
		} else {
			failed++
			counts[1]++
			fmt.Fprintf(e.stdout, "--- FAIL: %s (%s)\n", full, t.Pos)
			if t.About != "" {
				fmt.Fprintf(e.stdout, "    %s\n", t.About)
			}
			for _, f := range t.Failures {
				fmt.Fprintf(e.stdout, "    %s\n", f)
			}
			fmt.Fprintf(e.stdout, "    explanation: %s\n", t.Result.Explanation)
		}
		perPolicy[t.Policy] = counts
	}
	for _, id := range order {
		c := perPolicy[id]
		if c[1] > 0 {
			fmt.Fprintf(e.stdout, "FAIL\t%s\t%d of %d cases failed\n", id, c[1], c[0]+c[1])
		} else {
			fmt.Fprintf(e.stdout, "ok  \t%s\t%d cases\n", id, c[0])
		}
	}
	if failed > 0 || loadErr != nil {
		fmt.Fprintln(e.stdout, "FAIL")
	}
	fmt.Fprintf(e.stdout, "%d passed, %d failed\n", passed, failed)
	if failed > 0 || loadErr != nil {
		return errSilentFailure
	}
	return nil
}

// evalOutput is what `policy eval` prints (the brief's data contract).
type evalOutput struct {
	On      string          `json:"on"`
	Results []policy.Result `json:"results"`
}

func policyEval(_ context.Context, e env, cfg *config, args []string) error {
	fs := subFlags(e, "eval", "eval [--policies DIR] [--policy-local FILE] [--policy ID] [--on YYYY-MM-DD] FILE.json|-\n\n"+
		"Evaluates the enterprise records of FILE (one record or an array; - for standard input) against\n"+
		"every policy in force on the date, or against one policy, and prints the results as JSON.")
	dir := fs.String("policies", "", "policy directory (default: ./policies if present, else the library built into the binary)")
	only := fs.String("policy", "", "evaluate only this policy, even when it is not in force on the date")
	fs.StringVar(&cfg.PolicyLocal, "policy-local", cfg.PolicyLocal, "a file of the park's local values of policy parameters (env PARKDESK_POLICY_LOCAL)")
	onText := fs.String("on", "", "evaluation date YYYY-MM-DD (default: today)")
	rest, err := parseSub(fs, args)
	if err != nil {
		return helpOrUsage(err)
	}
	if len(rest) != 1 {
		return usagef("name one record file (or - for standard input)")
	}
	on := time.Now()
	if *onText != "" {
		if on, err = facts.ParseDate(*onText); err != nil {
			return usagef("--on: %v", err)
		}
	}
	on = time.Date(on.Year(), on.Month(), on.Day(), 0, 0, 0, 0, time.UTC)
	lib, err := openLibrary(cfg, *dir)
	if err != nil {
		return err
	}
	selected := lib.Policies()
	if *only != "" {
		p, ok := lib.Policy(*only)
		if !ok {
			ids := make([]string, 0, len(selected))
			for _, p := range selected {
				ids = append(ids, p.ID())
			}
			return apperr.Errorf(apperr.NotFound, "no policy %q (the library has %s)", *only, strings.Join(ids, ", "))
		}
		selected = []*policy.Policy{p}
	} else {
		inForce := selected[:0]
		for _, p := range selected {
			if p.InForce(on) {
				inForce = append(inForce, p)
			}
		}
		selected = inForce
	}
	in, name, closeIn, err := openInput(e, rest[0])
	if err != nil {
		return err
	}
	defer closeIn()
	out := evalOutput{On: on.Format(time.DateOnly), Results: []policy.Result{}}
	ev := lib.NewEvaluator()
	// Records are validated as they stream; results are printed only when
	// every record is valid, so that a bad file never yields partial output.
	err = facts.DecodeRecords(in, name, lib.Dictionary(), func(rec facts.Record) error {
		ent := policy.FromRecord(&rec)
		for _, p := range selected {
			out.Results = append(out.Results, ev.Evaluate(p, ent, on))
		}
		return nil
	})
	if err != nil {
		return err
	}
	w := bufio.NewWriter(e.stdout)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	return w.Flush()
}

// openLibrary loads the named directory; without one, the configured one
// (cfg.effectivePolicies), else the library built into the binary.
func openLibrary(cfg *config, dir string) (*policy.Library, error) {
	if dir == "" {
		dir = cfg.effectivePolicies()
	}
	var lib *policy.Library
	var err error
	if dir == "" {
		lib, err = policy.LoadFS(policies.FS, ".", facts.Builtin())
	} else {
		lib, err = policy.LoadDir(dir, facts.Builtin())
	}
	if err != nil {
		return lib, err
	}
	return lib, setPolicyLocal(cfg, lib)
}

// setPolicyLocal applies the park's local values of policy parameters
// (--policy-local), if it names a file.
func setPolicyLocal(cfg *config, lib *policy.Library) error {
	if cfg.PolicyLocal == "" {
		return nil
	}
	f, err := os.Open(cfg.PolicyLocal)
	if err != nil {
		return apperr.Errorf(apperr.Invalid, "--policy-local: %v", err)
	}
	defer f.Close()
	vals, err := policy.ReadLocalValues(f, cfg.PolicyLocal)
	if err != nil {
		return err
	}
	return lib.SetLocalValues(vals)
}

func openInput(e env, name string) (io.Reader, string, func(), error) {
	if name == "-" {
		return e.stdin, "stdin", func() {}, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, "", nil, apperr.Errorf(apperr.Invalid, "cannot read %s: %v", name, errors.Unwrap(err))
	}
	return f, name, func() { f.Close() }, nil
}

func helpOrUsage(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	return errUsage
}
