package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/tech"
)

// techCommand is `parkdesk tech`: the technology transfer desk's tools.
func techCommand() command {
	return command{
		name:  "tech",
		usage: "match --achievements FILE --needs FILE [--top N] | import [--dry-run] (--achievements FILE | --needs FILE) | segment TEXT",
		summary: "Technology achievements and needs (产学研对接). 'tech match' ranks the achievements of a catalogue file " +
			"for each need of a needs file, with the reasons, as JSON, without a database; 'tech import' loads a catalogue or " +
			"needs file into the database, all or nothing; 'tech segment' shows how a text is cut into terms.",
		setup: func(fs *flag.FlagSet, cfg *config) func(context.Context, env, []string) error {
			return func(ctx context.Context, e env, args []string) error {
				if len(args) == 0 {
					return usagef("name a tech command: match or segment")
				}
				switch args[0] {
				case "match":
					return techMatch(e, args[1:])
				case "segment":
					return techSegment(e, args[1:])
				case "import":
					return techImport(ctx, e, cfg, args[1:])
				}
				return usagef("unknown tech command %q", args[0])
			}
		},
	}
}

// techMatch reads the two files, ranks, and prints
// {"matches": [{"need": …, "achievements": […], "why": […]}]}.
func techMatch(e env, args []string) error {
	fs := flag.NewFlagSet("parkdesk tech match", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	achFile := fs.String("achievements", "", "the catalogue: a .csv or .xlsx file with the header code,title,holder,field,keywords,abstract,maturity,transfer_mode")
	needFile := fs.String("needs", "", "the needs: a .csv or .xlsx file with the header code,enterprise,title,description (industry, field optional)")
	top := fs.Int("top", 5, "achievements per need")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return errUsage
	}
	if *achFile == "" || *needFile == "" {
		return usagef("give both --achievements FILE and --needs FILE")
	}
	if *top < 1 || *top > 1000 {
		return usagef("--top must be between 1 and 1000")
	}
	if fs.NArg() > 0 {
		return usagef("tech match takes no arguments besides its flags")
	}
	achData, err := os.ReadFile(*achFile)
	if err != nil {
		return fmt.Errorf("read %s: %w", *achFile, err)
	}
	needData, err := os.ReadFile(*needFile)
	if err != nil {
		return fmt.Errorf("read %s: %w", *needFile, err)
	}
	achs, ignored, err := tech.ParseAchievements(filepath.Base(*achFile), achData)
	if err != nil {
		return err
	}
	warnIgnored(e, *achFile, ignored)
	needs, ignored, err := tech.ParseNeeds(filepath.Base(*needFile), needData)
	if err != nil {
		return err
	}
	warnIgnored(e, *needFile, ignored)
	cat, err := tech.NewCatalogue(achs)
	if err != nil {
		return err
	}
	return writeJSON(e.stdout, cat.Match(needs, achs, *top))
}

func warnIgnored(e env, file string, cols []string) {
	if len(cols) > 0 {
		fmt.Fprintf(e.stderr, "parkdesk: %s: columns ignored: %s\n", file, strings.Join(cols, ", "))
	}
}

// techSegment prints the terms of a text, one line, for checking how a
// catalogue's words are cut (and which need adding to the vocabulary).
func techSegment(e env, args []string) error {
	if len(args) == 0 {
		return usagef("give the text to segment")
	}
	terms, err := tech.Segment(strings.Join(args, " "))
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, strings.Join(terms, " "))
	return nil
}

// techImport loads a catalogue or a needs file into the database as the
// server's operator: any bad row writes nothing and exits 1 with the
// report of every problem.
func techImport(ctx context.Context, e env, cfg *config, args []string) error {
	fs := flag.NewFlagSet("parkdesk tech import", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	cfg.declareGlobal(fs)
	achFile := fs.String("achievements", "", "a catalogue file (.csv or .xlsx)")
	needFile := fs.String("needs", "", "a needs file (.csv or .xlsx); the enterprise column holds a USCC or an exact name")
	dryRun := fs.Bool("dry-run", false, "check every row and report, but write nothing")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return errUsage
	}
	if (*achFile == "") == (*needFile == "") || fs.NArg() > 0 {
		return usagef("give either --achievements FILE or --needs FILE")
	}
	file := *achFile + *needFile
	data, err := os.ReadFile(file)
	if err != nil {
		return fmt.Errorf("read %s: %w", file, err)
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := tech.NewService(db)
	operator := auth.System("tech-import")
	var rep tech.ImportReport
	if *achFile != "" {
		rep, err = svc.ImportAchievements(ctx, operator, filepath.Base(file), data, *dryRun)
	} else {
		rep, err = svc.ImportNeeds(ctx, operator, filepath.Base(file), data, *dryRun)
	}
	if err != nil {
		return err
	}
	warnIgnored(e, file, rep.Ignored)
	verb := "imported"
	if *dryRun {
		verb = "checked (dry run, nothing written)"
	}
	fmt.Fprintf(e.stdout, "%s: %d rows %s: %d new, %d updated\n", file, rep.Rows, verb, rep.Created, rep.Updated)
	return nil
}
