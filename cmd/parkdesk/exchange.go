package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/exchange"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/match"
	"github.com/parkdesk/parkdesk/internal/store"
)

func importCommand() command {
	return command{
		name:  "import",
		usage: "FILE...",
		summary: "Import enterprises and facts from .csv, .xlsx and .json files (layout: docs/import-format.md).\n" +
			"Every bad row or record is reported, and then nothing at all is written; the exit status is 1.",
		setup: func(fs *flag.FlagSet, cfg *config) func(context.Context, env, []string) error {
			dryRun := fs.Bool("dry-run", false, "validate everything and report what would be written, but write nothing")
			actor := fs.String("actor", "", "who imports, kept in the facts' provenance (default: cli:$USER)")
			asJSON := fs.Bool("json", false, "print the report as JSON on standard output")
			return func(ctx context.Context, e env, args []string) error {
				if len(args) == 0 {
					return usagef("name at least one file to import")
				}
				if *actor == "" {
					*actor = "cli:" + e.getenv("USER")
				}
				files := make([]exchange.File, len(args))
				for i, a := range args {
					files[i] = exchange.PathFile(a)
				}
				db, err := openDB(ctx, cfg)
				if err != nil {
					return err
				}
				defer db.Close()
				useBatchGC(e)
				rep, err := exchange.Import(ctx, db, files, exchange.Options{DryRun: *dryRun, Actor: *actor})
				if err != nil && apperr.CodeOf(err) != apperr.Invalid {
					return err
				}
				if *asJSON {
					if err := writeJSON(e.stdout, rep); err != nil {
						return err
					}
				} else {
					printImportReport(e, rep)
				}
				if err != nil {
					return errSilentFailure
				}
				return rematchAfterImport(ctx, e, cfg, db, rep)
			}
		},
	}
}

// rematchAfterImport brings the stored policy results up to date with what
// an import changed, as matching follows every report of facts
// (match.Matcher.FactsChanged, on the date of the park's current results),
// here with batch runs allowed.
func rematchAfterImport(ctx context.Context, e env, cfg *config, db *store.DB, rep exchange.Report) error {
	if len(rep.Changed) == 0 {
		return nil
	}
	on, ok, err := match.ReevaluationDate(ctx, db)
	if err != nil || !ok {
		return err // nothing matched yet: 'parkdesk match' evaluates everyone
	}
	set, err := openPolicySet(cfg, "")
	if err != nil {
		return err
	}
	// A large import is matched as a batch run: its partitions are jobs, and
	// this process works them with its job client.
	s := &services{cfg: cfg, logger: cfg.newLogger(e.stderr), db: db, policies: set, matcher: match.NewMatcher(set)}
	if err := s.startJobs(ctx, match.QueueName); err != nil {
		return err
	}
	defer s.stopJobs()
	written, err := s.matcher.FactsChanged(ctx, db, facts.Changed{Enterprises: rep.Changed, Fields: rep.ChangedFields, Source: "import"}, true)
	if err != nil {
		return fmt.Errorf("the import is written, but matching it failed (run 'parkdesk match'): %w", err)
	}
	fmt.Fprintf(e.stdout, "matched the %d enterprise(s) whose data changed against the policies of %s: %d result(s) new or changed\n",
		len(rep.Changed), on.Format(time.DateOnly), written)
	return nil
}

func printImportReport(e env, rep exchange.Report) {
	for _, p := range rep.Problems {
		fmt.Fprintln(e.stderr, p.String())
	}
	if rep.ProblemsTotal > len(rep.Problems) {
		fmt.Fprintf(e.stderr, "… and %d more problems\n", rep.ProblemsTotal-len(rep.Problems))
	}
	read := fmt.Sprintf("%d rows and records read from %d file(s)", rep.RowsRead, rep.Files)
	if rep.ProblemsTotal > 0 {
		fmt.Fprintf(e.stderr, "parkdesk import: %d problem(s); %s; nothing was written\n", rep.ProblemsTotal, read)
		return
	}
	what := fmt.Sprintf("%d enterprises created, %d updated, %d facts", rep.EnterprisesCreated, rep.EnterprisesUpdated, rep.FactsWritten)
	if rep.DryRun {
		fmt.Fprintf(e.stdout, "dry run: no problems; an import would write %s (%s); nothing was written\n", what, read)
		return
	}
	fmt.Fprintf(e.stdout, "imported: %s written (%s)\n", what, read)
}

func exportCommand() command {
	return command{
		name:  "export",
		usage: "",
		summary: "Export every enterprise with the current values of its facts (layout: docs/import-format.md).\n" +
			"JSON is the record format, which import reads back losslessly. CSV with -o NAME.csv writes\n" +
			"NAME-enterprises.csv and NAME-facts.csv; CSV to standard output is the facts table only.",
		setup: func(fs *flag.FlagSet, cfg *config) func(context.Context, env, []string) error {
			formatName := fs.String("format", "", "json, csv or xlsx (default: told by -o's extension, else json)")
			out := fs.String("o", "", "write to this file instead of standard output")
			return func(ctx context.Context, e env, args []string) error {
				if len(args) > 0 {
					return usagef("export takes no arguments; name the output with -o")
				}
				format, err := exportFormat(*formatName, *out)
				if err != nil {
					return err
				}
				db, err := openDB(ctx, cfg)
				if err != nil {
					return err
				}
				defer db.Close()
				switch {
				case *out == "":
					return exchange.Export(ctx, db, e.stdout, format)
				case format == exchange.CSV:
					base := strings.TrimSuffix(*out, filepath.Ext(*out))
					entPath, factPath := base+"-enterprises.csv", base+"-facts.csv"
					err := writeFiles(func(w []io.Writer) error {
						return exchange.ExportCSV(ctx, db, w[0], w[1])
					}, entPath, factPath)
					if err == nil {
						fmt.Fprintf(e.stderr, "wrote %s and %s\n", entPath, factPath)
					}
					return err
				default:
					return writeFiles(func(w []io.Writer) error {
						return exchange.Export(ctx, db, w[0], format)
					}, *out)
				}
			}
		},
	}
}

func exportFormat(name, out string) (exchange.Format, error) {
	switch {
	case name != "":
		f, err := exchange.ParseFormat(name)
		if err != nil {
			return "", usagef("%s", apperr.MessageOf(err))
		}
		return f, nil
	case out != "":
		f, err := exchange.FormatOf(out)
		if err != nil {
			return "", usagef("%s; or give --format", apperr.MessageOf(err))
		}
		return f, nil
	}
	return exchange.JSON, nil
}

// writeFiles runs write on temporary files next to paths and renames them
// into place only when it succeeds, so that a failed export never leaves a
// truncated file behind that looks complete.
func writeFiles(write func([]io.Writer) error, paths ...string) (err error) {
	tmps := make([]*os.File, 0, len(paths))
	defer func() {
		for _, t := range tmps {
			t.Close()
			if err != nil {
				os.Remove(t.Name())
			}
		}
	}()
	ws := make([]io.Writer, len(paths))
	for i, p := range paths {
		t, err := os.CreateTemp(filepath.Dir(p), "."+filepath.Base(p)+".*.tmp")
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		tmps = append(tmps, t)
		ws[i] = t
	}
	if err := write(ws); err != nil {
		return err
	}
	for i, t := range tmps {
		if err := t.Close(); err != nil && !errors.Is(err, os.ErrClosed) {
			return fmt.Errorf("export: %w", err)
		}
		if err := os.Rename(t.Name(), paths[i]); err != nil {
			return fmt.Errorf("export: %w", err)
		}
	}
	return nil
}
