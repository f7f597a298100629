using System.CommandLine;
using System.Globalization;
using Lineage.Cli.Output;

namespace Lineage.Cli.Commands;

/// <summary><c>lineage alias set|rm|ls|history</c>: names like <c>production</c> that point at one version, and how they moved.</summary>
public static class AliasCommand
{
    /// <summary>Builds the command and its subcommands.</summary>
    public static Command Create(GlobalOptions globals)
    {
        var command = new Command("alias", "Point aliases (production, candidate…) at versions, remove them, list them, show how they moved");
        command.Add(Set(globals));
        command.Add(Remove(globals));
        command.Add(List(globals));
        command.Add(History(globals));
        return command;
    }

    private static Command Set(GlobalOptions globals)
    {
        var name = new Argument<string>("NAME") { Description = "Artifact name" };
        var alias = new Argument<string>("ALIAS") { Description = "The alias (not all digits, not 'latest'; the characters of artifact names)" };
        var version = new Argument<string>("VERSION") { Description = "The version to point at: a number, 'latest' (the newest live version), or another alias of NAME (where it points now)" };
        var command = new Command("set", "Point ALIAS of NAME at VERSION, creating it or moving it (the move is kept in its history)") { name, alias, version };
        command.SetAction(async (parsed, ct) =>
        {
            var artifact = PlainName(parsed.GetValue(name)!);
            var wantedAlias = ValidAlias(parsed.GetValue(alias)!);
            var target = References.Parse($"{artifact}@{parsed.GetValue(version)}");
            var terminal = Terminal.For(parsed, globals);
            await using var store = await globals.OpenStoreAsync(parsed, ct);
            var before = (await store.Aliases.ListAsync(artifact, ct)).FirstOrDefault(a => a.Alias == wantedAlias);
            var number = target.Version ?? (await References.FindAsync(store, target, ct)).Version;
            AliasRecord record;
            try
            {
                record = await store.Aliases.SetAsync(artifact, wantedAlias, number, ct);
            }
            catch (ArgumentException e)
            {
                // The alias was checked above: what is left is the version's state (in the trash).
                throw CommandFailedException.From(e);
            }

            if (terminal.IsJson)
            {
                terminal.WriteJson(new { record.Name, record.Alias, record.Version, record.Uid, PreviousVersion = before?.Version, Changed = before?.Version != record.Version, record.SetAt, record.SetBy });
                return 0;
            }

            terminal.Line(before switch
            {
                null => $"{record.Name}@{record.Alias} now points at version {Number(record.Version)} (created).",
                { Version: var previous } when previous == record.Version => $"{record.Name}@{record.Alias} already points at version {Number(record.Version)}; nothing changed.",
                { Version: var previous } => $"{record.Name}@{record.Alias} now points at version {Number(record.Version)} (was {Number(previous)}).",
            });
            return 0;
        });
        return command;
    }

    private static Command Remove(GlobalOptions globals)
    {
        var name = new Argument<string>("NAME") { Description = "Artifact name" };
        var alias = new Argument<string>("ALIAS") { Description = "The alias to remove" };
        var command = new Command("rm", "Remove ALIAS of NAME (its history keeps the removal); the version stays") { name, alias };
        command.SetAction(async (parsed, ct) =>
        {
            var artifact = PlainName(parsed.GetValue(name)!);
            var wantedAlias = ValidAlias(parsed.GetValue(alias)!);
            var terminal = Terminal.For(parsed, globals);
            await using var store = await globals.OpenStoreAsync(parsed, ct);
            var before = (await store.Aliases.ListAsync(artifact, ct)).FirstOrDefault(a => a.Alias == wantedAlias);
            await store.Aliases.RemoveAsync(artifact, wantedAlias, ct);
            var version = before?.Version;
            if (terminal.IsJson)
            {
                terminal.WriteJson(new { Name = artifact, Alias = wantedAlias, Version = version });
                return 0;
            }

            terminal.Line($"Removed {artifact}@{wantedAlias}{(version is { } v ? $" (it pointed at version {Number(v)})" : string.Empty)}.");
            return 0;
        });
        return command;
    }

    private static Command List(GlobalOptions globals)
    {
        var name = new Argument<string>("NAME") { Description = "Artifact name" };
        var command = new Command("ls", "The aliases of NAME as they stand: which version each points at, since when, set by whom") { name };
        command.SetAction(async (parsed, ct) =>
        {
            var artifact = PlainName(parsed.GetValue(name)!);
            var terminal = Terminal.For(parsed, globals);
            await using var store = await globals.OpenStoreAsync(parsed, ct);
            var aliases = await store.Aliases.ListAsync(artifact, ct);
            if (aliases.Count == 0)
            {
                // An unknown name is not found (exit 1), as everywhere; a known one simply has none.
                await store.VersionsAsync(artifact, ct);
            }

            if (terminal.IsJson)
            {
                terminal.WriteJson(aliases.Select(a => new { a.Name, a.Alias, a.Version, a.Uid, a.SetAt, a.SetBy }));
                return 0;
            }

            if (aliases.Count == 0)
            {
                terminal.Line($"{artifact} has no aliases; 'lineage alias set {artifact} ALIAS VERSION' adds one.");
                return 0;
            }

            terminal.Table(
                ["ALIAS", "VERSION", "SET", "BY"],
                aliases.Select(a => (IReadOnlyList<string>)[a.Alias, Number(a.Version), Formats.Time(a.SetAt), a.SetBy]));
            return 0;
        });
        return command;
    }

    private static Command History(GlobalOptions globals)
    {
        var name = new Argument<string>("NAME") { Description = "Artifact name" };
        var alias = new Argument<string>("ALIAS") { Description = "The alias" };
        var command = new Command("history", "Every move of ALIAS of NAME, oldest first: when, by whom, from which version to which") { name, alias };
        command.SetAction(async (parsed, ct) =>
        {
            var artifact = PlainName(parsed.GetValue(name)!);
            var wantedAlias = ValidAlias(parsed.GetValue(alias)!);
            var terminal = Terminal.For(parsed, globals);
            await using var store = await globals.OpenStoreAsync(parsed, ct);
            var moves = await store.Aliases.HistoryAsync(artifact, wantedAlias, ct);
            if (moves.Count == 0)
            {
                throw new CommandFailedException($"'{artifact}' has no alias '{wantedAlias}' and never had one ('lineage alias ls {artifact}' lists those it has).");
            }

            if (terminal.IsJson)
            {
                terminal.WriteJson(moves.Select(m => new { m.Name, m.Alias, Change = Change(m), m.FromVersion, m.ToVersion, m.MovedAt, m.MovedBy }));
                return 0;
            }

            terminal.Table(
                ["WHEN", "BY", "CHANGE", "FROM", "TO"],
                moves.Select(m => (IReadOnlyList<string>)
                    [Formats.Time(m.MovedAt), m.MovedBy, Change(m), m.FromVersion is { } from ? Number(from) : "-", m.ToVersion is { } to ? Number(to) : "-"]));
            return 0;
        });
        return command;
    }

    /// <summary><c>created</c>, <c>moved</c> or <c>removed</c>.</summary>
    private static string Change(AliasMove move) => move switch
    {
        { FromVersion: null } => "created",
        { ToVersion: null } => "removed",
        _ => "moved",
    };

    private static string Number(int version) => version.ToString(CultureInfo.InvariantCulture);

    /// <summary>A plain artifact name; <c>NAME@…</c> here is a usage error (the alias is its own argument).</summary>
    private static string PlainName(string text)
    {
        var reference = References.Parse(text);
        return reference.IsLatest && !text.Contains('@', StringComparison.Ordinal)
            ? reference.Name
            : throw new UsageException($"'{text}' is a reference; alias commands take the artifact name alone ('{reference.Name}') and the alias as its own argument.");
    }

    /// <summary>The alias as the store keeps it (Unicode-normalized, as names are), or a usage error saying what an alias is.</summary>
    private static string ValidAlias(string alias) => ArtifactReference.IsValidAlias(alias)
        ? ArtifactReference.Parse("a@" + alias).Alias!
        : throw new UsageException(
            $"'{alias}' is not a valid alias: aliases use the characters of artifact names (letters, digits, '-', '_', '.', '/'), are not all digits (those are versions), and are not '{ArtifactReference.Latest}' (the newest version).");
}
