using System.CommandLine;
using Lineage.Cli.Output;

namespace Lineage.Cli.Commands;

/// <summary><c>lineage doctor</c>: can this machine use the configured store? One line per check.</summary>
public static class DoctorCommand
{
    /// <summary>The artifact name the round-trip check saves and permanently deletes.</summary>
    public const string ProbeName = "lineage-doctor-probe";

    /// <summary>Builds the command.</summary>
    public static Command Create(GlobalOptions globals)
    {
        var command = new Command("doctor", "Check the configuration, the database, and that the storage root can be written and read back");
        command.SetAction(async (parsed, ct) =>
        {
            var terminal = Terminal.For(parsed, globals);
            var checks = await RunChecksAsync(globals.StoreOptions(parsed), ct);
            var ok = checks.All(c => c.Status != "fail");
            if (terminal.IsJson)
            {
                terminal.WriteJson(new { Ok = ok, Checks = checks });
            }
            else
            {
                foreach (var check in checks)
                {
                    terminal.Line($"{check.Status.ToUpperInvariant(),-4}  {check.Name,-16}  {check.Detail}");
                }
            }

            return ok ? 0 : LineageCli.Failure;
        });
        return command;
    }

    private static async Task<List<Check>> RunChecksAsync(LineageOptions options, CancellationToken cancellationToken)
    {
        var checks = new List<Check>();
        ResolvedOptions resolved;
        try
        {
            resolved = ArtifactStore.ResolveOptions(options);
            checks.Add(Check.Pass("config", $"database {resolved.MaskedDatabaseUrl} ({Formats.Source(resolved.DatabaseUrlSource)}), storage {resolved.ArtifactStorageDir} ({Formats.Source(resolved.ArtifactStorageDirSource)})"));
        }
        catch (LineageException e)
        {
            checks.Add(Check.Fail("config", e.Message));
            return checks;
        }

        ArtifactStore store;
        try
        {
            store = await ArtifactStore.OpenAsync(options, cancellationToken);
            checks.Add(Check.Pass("database", $"{resolved.MaskedDatabaseUrl} opens, migrations applied (instance {store.InstanceUid})"));
        }
        catch (LineageException e) when (IsStorageProblem(e))
        {
            // Opening reaches the storage roots only after the database opened and migrated: the database is fine.
            checks.Add(Check.Pass("database", $"{resolved.MaskedDatabaseUrl} opens, migrations applied"));
            checks.Add(Check.Fail("storage", e.Message));
            checks.Add(Check.Skip("round-trip", "needs a writable storage root"));
            return checks;
        }
        catch (LineageException e)
        {
            checks.Add(Check.Fail("database", e.Message));
            return checks;
        }

        await using (store)
        {
            var status = await store.GetStorageStatusAsync(cancellationToken);
            if (!status.IsWritable)
            {
                var why = status.OwnerInstanceUid is { } owner
                    ? $"it is written by instance '{owner}'{(status.OwnerDatabase is { } db ? $" ({db})" : string.Empty)}; this instance may only read it"
                    : $"{status.Problem}";
                checks.Add(Check.Fail("storage", $"{status.Root} is not writable by this instance: {why}"));
                checks.Add(Check.Skip("round-trip", "needs a writable storage root"));
                return checks;
            }

            checks.Add(Check.Pass("storage", $"{status.Root} is writable by this instance"));
            checks.Add(await RoundTripAsync(store, cancellationToken));
        }

        return checks;
    }

    private static async Task<Check> RoundTripAsync(ArtifactStore store, CancellationToken cancellationToken)
    {
        var probe = System.Security.Cryptography.RandomNumberGenerator.GetBytes(64);
        ArtifactRecord? saved = null;
        try
        {
            saved = await store.SaveAsync(ProbeName, probe, cancellationToken);
            var loaded = await store.LoadAsync<byte[]>(ProbeName, saved.Version, cancellationToken);
            return loaded.AsSpan().SequenceEqual(probe)
                ? Check.Pass("round-trip", $"saved, loaded and verified {probe.Length} bytes, then deleted them")
                : Check.Fail("round-trip", "the value loaded back differs from the one saved");
        }
        catch (LineageException e)
        {
            return Check.Fail("round-trip", e.Message);
        }
        finally
        {
            if (saved is not null)
            {
                await store.DeleteAsync(ProbeName, saved.Version, permanent: true, CancellationToken.None);
            }
        }
    }

    private static bool IsStorageProblem(LineageException error) =>
        error is StorageAccessException or StorageNotFoundException or ReadOnlyStorageException or SpaceAccessDeniedException;

    private sealed record Check(string Name, string Status, string Detail)
    {
        public static Check Pass(string name, string detail) => new(name, "ok", detail);

        public static Check Fail(string name, string detail) => new(name, "fail", detail);

        public static Check Skip(string name, string detail) => new(name, "skip", detail);
    }
}
