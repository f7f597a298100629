using Lineage.Values;
using Lineage.Values.Local;

namespace Lineage;

/// <summary>Folders registered in place: loaded, exported, verified and migrated through the digest of their manifest.</summary>
public sealed partial class ArtifactStore
{
    /// <summary>The folder's files, after checking that together they still match the registered digest.</summary>
    private async Task<IReadOnlyList<StoredObject>> VerifiedFolderFilesAsync(ArtifactRecord record, CancellationToken cancellationToken, IProgress<long>? progress = null)
    {
        ThrowIfDisposed();
        await EnsureCanReadAsync(record, cancellationToken).ConfigureAwait(false);
        var values = ValuesAt(record.StorageRoot);
        var description = $"The folder '{record.Key}' registered in place as '{record.Name}' version {record.Version} (in {record.StorageRoot})";
        var files = await StoredDigests.FilesAsync(values, record.Key, cancellationToken).ConfigureAwait(false);
        if (files.Count == 0)
        {
            throw new CorruptArtifactException($"{description} is missing or holds no file.", new FileNotFoundException(description, record.Key));
        }

        var digest = (await StoredDigests.OfFolderAsync(values, record.Key, files, cancellationToken, progress).ConfigureAwait(false))!.Value;
        if (digest.Size != record.Size || !string.Equals(digest.Hash, record.Hash, StringComparison.Ordinal))
        {
            throw new CorruptArtifactException(
                $"{description} has changed since it was registered: its {files.Count} file(s) now hold {digest.Size} bytes with manifest SHA-256 {digest.Hash}; " +
                $"{record.Size} bytes with {record.Hash} were registered. Register it again to record the new content.");
        }

        return files;
    }

    /// <summary>A local folder, verified; folders in object stores are copied out with <see cref="ExportAsync"/>.</summary>
    private async Task<DirectoryInfo> LoadFolderAsync(ArtifactRecord record, CancellationToken cancellationToken)
    {
        if (record.StorageHost is null)
        {
            throw new LineageException(
                $"'{record.Name}' version {record.Version} is a folder in {record.StorageRoot}: Load<DirectoryInfo> returns local folders only. " +
                "Copy it to a local folder with store.ExportAsync(record, folder), or 'lineage get NAME@VERSION -o FOLDER'.");
        }

        await VerifiedFolderFilesAsync(record, cancellationToken).ConfigureAwait(false);
        return new DirectoryInfo(Path.Combine(record.StorageRoot, record.Key.Replace('/', Path.DirectorySeparatorChar)));
    }

    private async Task ExportFolderAsync(ArtifactRecord record, string directory, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var files = await VerifiedFolderFilesAsync(record, cancellationToken).ConfigureAwait(false);
        var values = ValuesAt(record.StorageRoot);
        var inside = Path.TrimEndingDirectorySeparator(directory) + Path.DirectorySeparatorChar;
        foreach (var file in files)
        {
            var target = Path.GetFullPath(Path.Combine(directory, file.Key[(record.Key.Length + 1)..].Replace('/', Path.DirectorySeparatorChar)));
            if (!target.StartsWith(inside, StringComparison.Ordinal))
            {
                throw new LineageException($"The folder '{record.Key}' holds '{file.Key}', which would land outside '{directory}'; nothing more is exported.");
            }

            var (stream, _) = await values.OpenReadAsync(file.Key, cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                await AtomicFile.WriteAsync(target, (destination, ct) => CopyReportingAsync(stream, destination, progress, ct),
                    FilePlacement.Replace, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<ValueCheck> VerifyFolderAsync(ArtifactRecord record, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        try
        {
            await VerifiedFolderFilesAsync(record, cancellationToken, progress).ConfigureAwait(false);
            return new ValueCheck(record, ValueCheckStatus.Ok, null);
        }
        catch (CorruptArtifactException e)
        {
            return new ValueCheck(record, e.InnerException is FileNotFoundException ? ValueCheckStatus.Missing : ValueCheckStatus.Corrupt, e.Message);
        }
        catch (StorageLinkException e)
        {
            return new ValueCheck(record, ValueCheckStatus.Corrupt, e.Message);
        }
    }

    /// <summary>
    /// Copies a registered folder to the same key under <paramref name="destination"/>. Files a previous, interrupted run
    /// copied are kept; any other file already there means a different folder, which is never overwritten.
    /// </summary>
    private async Task<long> CopyFolderAsync(ArtifactRecord record, IValueStore destination, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var existing = await StoredDigests.FilesAsync(destination, record.Key, cancellationToken).ConfigureAwait(false);
        var already = await StoredDigests.OfFolderAsync(destination, record.Key, existing, cancellationToken).ConfigureAwait(false);
        if (already is { } found && found.Size == record.Size && string.Equals(found.Hash, record.Hash, StringComparison.Ordinal))
        {
            return 0;
        }

        var files = await VerifiedFolderFilesAsync(record, cancellationToken).ConfigureAwait(false);
        var source = ValuesAt(record.StorageRoot);
        var sourceKeys = files.Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        var copiedBefore = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in existing)
        {
            var there = await StoredDigests.OfObjectAsync(destination, file.Key, cancellationToken).ConfigureAwait(false);
            var here = sourceKeys.Contains(file.Key) ? await StoredDigests.OfObjectAsync(source, file.Key, cancellationToken).ConfigureAwait(false) : null;
            if (here is null || there != here)
            {
                throw new LineageException(
                    $"'{destination.Root}' already holds a different folder at '{record.Key}' (e.g. '{file.Key}'), where '{record.Name}' version {record.Version} (registered in place) would go; Lineage does not overwrite files it did not write.");
            }

            copiedBefore.Add(file.Key);
        }

        long bytes = 0;
        foreach (var file in files.Where(f => !copiedBefore.Contains(f.Key)))
        {
            var (stream, _) = await source.OpenReadAsync(file.Key, cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                await destination.WriteAsync(file.Key, (target, ct) => CopyReportingAsync(stream, target, progress, ct), cancellationToken).ConfigureAwait(false);
            }

            bytes += file.Size;
        }

        EnsureCopyMatches(record, destination, await StoredDigests.OfFolderAsync(destination, record.Key, cancellationToken).ConfigureAwait(false));
        return bytes;
    }
}
