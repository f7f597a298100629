using System.Collections.Concurrent;
using Lineage.Metadata;
using Lineage.Storage;
using Lineage.Telemetry;
using Lineage.Values;
using Microsoft.Extensions.Logging;

namespace Lineage;

/// <summary>
/// Saves whose metadata insert failed: the value is removed when its row provably does not exist, and otherwise kept with a note
/// (<see cref="PendingSave"/>) until the database can tell, so that "nothing was stored" is only ever said when it is true.
/// </summary>
public sealed partial class ArtifactStore
{
    private readonly ConcurrentDictionary<string, (IValueStore Values, PendingSave Save)> _pendingSaves = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _settling = new(1, 1);

    /// <summary>What became of a failed insert; undecided when the database cannot say yet.</summary>
    private async Task<LostInsert> LearnLostInsertAsync(PendingSave failed)
    {
        try
        {
            return await _metadata.FindLostInsertAsync(failed.Uid, failed.WriterSession, CancellationToken.None).ConfigureAwait(false);
        }
        catch (MetadataDatabaseException)
        {
            return new LostInsert(LostInsertState.Undecided, null);
        }
    }

    /// <summary>
    /// Cleans up after a save whose row is absent or undecided, and returns the error to throw: "nothing was stored" when the value
    /// is gone and no row can appear; otherwise what is kept, where, and who removes it.
    /// </summary>
    private async Task<MetadataDatabaseException> FailedSaveAsync(StorageTarget target, PendingSave failed, LostInsertState state, MetadataDatabaseException cause)
    {
        if (state == LostInsertState.Absent && await TryDeleteValueAsync(target.Values, failed.Key).ConfigureAwait(false))
        {
            return new MetadataDatabaseException(cause.DatabaseUrl, $"Saving '{failed.Name}' failed; nothing was stored. {cause.Message}", cause);
        }

        // A row known to be absent leaves no session to wait for: gc removes the value at once.
        var note = state == LostInsertState.Absent ? failed with { WriterSession = null } : failed;
        _pendingSaves[note.Uid] = (target.Values, note);
        var value = $"{target.Storage.Root}/{note.Key}";
        var cleanup = await TryWriteNoteAsync(target.Values, note, Logs.Artifacts).ConfigureAwait(false)
            ? $"it is removed as soon as the database shows that no version points to it: by this store after its next successful save, or by gc at once (the note is {target.Storage.Root}/{note.NoteKey})"
            : "gc removes it once it is older than gc's minimum age (the note that would let gc remove it at once could not be written)";
        return new MetadataDatabaseException(cause.DatabaseUrl, state == LostInsertState.Absent
            ? $"Saving '{failed.Name}' failed and no version was recorded, but its value {value} could not be removed yet; {cleanup}. {cause.Message}"
            : $"Saving '{failed.Name}' failed, and whether its version was recorded is unknown: the database cannot tell yet. Its value {value} is kept until that is known; {cleanup}. " +
              $"If the version was recorded, it is listed by Versions(\"{failed.Name}\") like any other. {cause.Message}", cause);
    }

    /// <summary>
    /// After a successful save (the database answers again), settles the saves of this store whose outcome was unknown: values
    /// without a row are removed, and the notes of settled saves. Best effort: a failure leaves the rest for the next save or gc.
    /// </summary>
    private async Task SettlePendingSavesAsync()
    {
        if (_pendingSaves.IsEmpty || !await _settling.WaitAsync(0).ConfigureAwait(false))
        {
            return;
        }

        try
        {
            foreach (var (uid, (values, save)) in _pendingSaves)
            {
                var lost = await _metadata.FindLostInsertAsync(uid, save.WriterSession, CancellationToken.None).ConfigureAwait(false);
                if (lost.State == LostInsertState.Undecided)
                {
                    continue;
                }

                if (lost.State == LostInsertState.Absent)
                {
                    await values.DeleteAsync(save.Key, CancellationToken.None).ConfigureAwait(false);
                }

                await values.DeleteAsync(save.NoteKey, CancellationToken.None).ConfigureAwait(false);
                _pendingSaves.TryRemove(uid, out _);
                Logs.Artifacts.FailedSaveSettled(save.Name, lost.State == LostInsertState.Absent
                    ? "no version was recorded, and its value is removed"
                    : "its version was recorded after all");
            }
        }
        catch (Exception e)
        {
            // The save that called this succeeded: no failure here (database or storage failing again) may turn it into an error.
            Logs.Artifacts.SettlingFailed(e, _pendingSaves.Count);
        }
        finally
        {
            _settling.Release();
        }
    }

    /// <summary>
    /// The keys under <paramref name="values"/> that gc may remove whatever their age: values of failed saves whose rows the database
    /// now shows absent for good, and the notes of every settled save. Undecided saves are left to gc's age window.
    /// </summary>
    private async Task<IReadOnlySet<string>> SettledPendingKeysAsync(IValueStore values, CancellationToken cancellationToken)
    {
        var settled = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var stored in values.ListAsync(PendingSave.Folder, cancellationToken).ConfigureAwait(false))
        {
            if (await values.ReadSmallAsync(stored.Key, cancellationToken).ConfigureAwait(false) is not { } content
                || PendingSave.TryParse(content) is not { } note
                || note.NoteKey != stored.Key)
            {
                continue;
            }

            var lost = await _metadata.FindLostInsertAsync(note.Uid, note.WriterSession, cancellationToken).ConfigureAwait(false);
            if (lost.State != LostInsertState.Undecided)
            {
                settled.Add(note.NoteKey);
            }

            if (lost.State == LostInsertState.Absent)
            {
                settled.Add(note.Key);
            }
        }

        return settled;
    }

    private static async Task<bool> TryWriteNoteAsync(IValueStore values, PendingSave note, ILogger log)
    {
        var content = note.ToJson();
        try
        {
            await values.WriteAsync(note.NoteKey, (stream, ct) => stream.WriteAsync(content, ct).AsTask(), CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (Exception e)
        {
            // The root failed too (full, unreachable): the caller's message says the note is missing and what that means.
            if (log.IsEnabled(LogLevel.Warning))
            {
                log.NoteNotWritten(e, note.NoteKey, note.Name, StoreLogs.Shown(values.Root));
            }

            return false;
        }
    }

    private async Task<bool> TryDeleteValueAsync(IValueStore values, string key)
    {
        try
        {
            await values.DeleteAsync(key, CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (Exception e)
        {
            // Reported by the caller: the value stays, and a note or gc's age window removes it.
            if (Logs.Artifacts.IsEnabled(LogLevel.Warning))
            {
                Logs.Artifacts.ValueNotRemoved(e, key, StoreLogs.Shown(values.Root));
            }

            return false;
        }
    }
}
