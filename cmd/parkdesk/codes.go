package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/store"
)

// codesCommand is `parkdesk park|department|tag add|edit|list`: the admin
// of the server keeps the parks, departments and tags from the shell.
func codesCommand(kind enterprise.CodeKind) command {
	name := string(kind)
	return command{
		name:  name,
		usage: "add|edit|list [flags] [CODE]",
		summary: fmt.Sprintf(`Keep the %[1]ss (as the operator; every change is audited).
  %[1]s add CODE --name-zh NAME [--name-en NAME]
  %[1]s edit CODE [--code NEW] [--name-zh NAME] [--name-en NAME]
  %[1]s list [--json]`, name),
		setup: func(fs *flag.FlagSet, cfg *config) func(context.Context, env, []string) error {
			return func(ctx context.Context, e env, args []string) error {
				if len(args) == 0 {
					return usagef("%s needs a subcommand: add, edit or list", name)
				}
				return codesRun(ctx, e, cfg, kind, args[0], args[1:])
			}
		},
	}
}

func codesRun(ctx context.Context, e env, cfg *config, kind enterprise.CodeKind, sub string, args []string) error {
	fs := accountFlags(e, string(kind)+" "+sub)
	code := fs.String("code", "", "the new code (edit)")
	nameZh := fs.String("name-zh", "", "the Chinese name")
	nameEn := fs.String("name-en", "", "the English name")
	asJSON := fs.Bool("json", false, "print JSON (list)")
	rest, err := parseAccountFlags(fs, args)
	if err != nil {
		return err
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	op := auth.System(string(kind) + " " + sub)
	switch sub {
	case "list":
		list, err := enterprise.ListCodes(ctx, db, kind)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(e.stdout, nonNil(list))
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "CODE\tNAME\tNAME (EN)")
		for _, c := range list {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", c.Code, c.NameZh, c.NameEn)
		}
		return tw.Flush()
	case "add", "edit":
		if len(rest) != 1 {
			return usagef("%s %s needs one CODE", kind, sub)
		}
		from, c := "", enterprise.Code{Code: rest[0], NameZh: *nameZh, NameEn: *nameEn}
		if sub == "edit" {
			from = rest[0]
			old, err := findCode(ctx, db, kind, from)
			if err != nil {
				return err
			}
			c = old
			if *code != "" {
				c.Code = *code
			}
			if *nameZh != "" {
				c.NameZh = *nameZh
			}
			if *nameEn != "" {
				c.NameEn = *nameEn
			}
		}
		saved, err := enterprise.SaveCode(ctx, db, op, kind, from, c)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%s %s saved (id %d): %s %s\n", kind, saved.Code, saved.ID, saved.NameZh, saved.NameEn)
		return nil
	}
	return usagef("unknown %s subcommand %q: use add, edit or list", kind, sub)
}

func findCode(ctx context.Context, db *store.DB, kind enterprise.CodeKind, code string) (enterprise.Code, error) {
	list, err := enterprise.ListCodes(ctx, db, kind)
	if err != nil {
		return enterprise.Code{}, err
	}
	for _, c := range list {
		if c.Code == code {
			return c, nil
		}
	}
	return enterprise.Code{}, apperr.Errorf(apperr.NotFound, "no %s with code %s", kind, code)
}

// fieldCommand is `parkdesk field add`: an admin adds a field to the data
// dictionary from the shell.
func fieldCommand() command {
	return command{
		name:  "field",
		usage: "add --name N --type T --shape S --department CODE --label-zh L --label-en L [flags]",
		summary: `Add a field to the data dictionary (as the operator; audited).
Types: number, integer, money, ratio, bool, enum (with --enum a,b), date, text.
Shapes: timeless, annual, quarterly, monthly.`,
		setup: func(fs *flag.FlagSet, cfg *config) func(context.Context, env, []string) error {
			return func(ctx context.Context, e env, args []string) error {
				if len(args) == 0 || args[0] != "add" {
					return usagef("field needs the subcommand add")
				}
				return fieldAdd(ctx, e, cfg, args[1:])
			}
		},
	}
}

func fieldAdd(ctx context.Context, e env, cfg *config, args []string) error {
	fs := accountFlags(e, "field add")
	f := &facts.Field{}
	fs.StringVar(&f.Name, "name", "", "the field's name (lower case, digits, underscores)")
	fs.StringVar(&f.TypeName, "type", "", "its type")
	fs.StringVar(&f.ShapeName, "shape", "timeless", "its period shape")
	fs.StringVar(&f.Unit, "unit", "", "its unit")
	fs.StringVar(&f.Department, "department", "", "the code of the department that owns it")
	sensitivity := fs.String("sensitivity", "internal", "public, internal or confidential")
	fs.IntVar(&f.FreshnessDays, "freshness-days", 0, "how long a value stays current (0: always)")
	fs.StringVar(&f.LabelZh, "label-zh", "", "its Chinese label")
	fs.StringVar(&f.LabelEn, "label-en", "", "its English label")
	enum := fs.String("enum", "", "an enum field's values, comma-separated")
	rest, err := parseAccountFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("unexpected argument %q", rest[0])
	}
	f.Sensitivity = facts.Sensitivity(*sensitivity)
	if *enum != "" {
		f.Enum = strings.Split(*enum, ",")
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := facts.AddFieldAs(ctx, db, auth.System("field add"), f); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "field %s added (%s, %s, owned by %s)\n", f.Name, f.TypeName, f.ShapeName, f.Department)
	return nil
}
