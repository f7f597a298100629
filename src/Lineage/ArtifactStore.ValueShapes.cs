using Lineage.Serialization;
using Lineage.Values;

namespace Lineage;

public sealed partial class ArtifactStore
{
    /// <summary>
    /// How a version's value lies in its root, decided from its recorded format in one place (<see cref="Of"/>): one object
    /// at its key, or a folder registered in place, which is every object under its key. Load, export, verify, copy and
    /// delete ask the shape instead of testing the format each.
    /// </summary>
    private abstract class ValueShape
    {
        private static readonly ValueShape SingleObject = new ObjectShape();
        private static readonly ValueShape Folder = new FolderShape();

        public static ValueShape Of(ArtifactRecord record) => record.Format == ValueFormats.Folder ? Folder : SingleObject;

        public abstract Task<T> LoadAsync<T>(ArtifactStore store, ArtifactRecord record, CancellationToken cancellationToken);

        /// <summary>Writes the value to <paramref name="path"/> (absolute): a file, or a folder of files.</summary>
        public abstract Task ExportAsync(ArtifactStore store, ArtifactRecord record, string path, IProgress<long>? progress, CancellationToken cancellationToken);

        public abstract Task<ValueCheck> VerifyAsync(ArtifactStore store, ArtifactRecord record, IProgress<long>? progress, CancellationToken cancellationToken);

        /// <summary>Copies the value to the same key under <paramref name="destination"/>; the bytes copied.</summary>
        public abstract Task<long> CopyAsync(ArtifactStore store, ArtifactRecord record, IValueStore destination, IProgress<long>? progress, CancellationToken cancellationToken);

        public abstract Task DeleteAsync(IValueStore values, ArtifactRecord record, CancellationToken cancellationToken);
    }

    private sealed class ObjectShape : ValueShape
    {
        public override Task<T> LoadAsync<T>(ArtifactStore store, ArtifactRecord record, CancellationToken cancellationToken) =>
            store.LoadObjectAsync<T>(record, cancellationToken);

        public override Task ExportAsync(ArtifactStore store, ArtifactRecord record, string path, IProgress<long>? progress, CancellationToken cancellationToken) =>
            store.ExportObjectAsync(record, path, progress, cancellationToken);

        public override Task<ValueCheck> VerifyAsync(ArtifactStore store, ArtifactRecord record, IProgress<long>? progress, CancellationToken cancellationToken) =>
            store.VerifyObjectAsync(record, progress, cancellationToken);

        public override Task<long> CopyAsync(ArtifactStore store, ArtifactRecord record, IValueStore destination, IProgress<long>? progress, CancellationToken cancellationToken) =>
            store.CopyObjectAsync(record, destination, progress, cancellationToken);

        public override Task DeleteAsync(IValueStore values, ArtifactRecord record, CancellationToken cancellationToken) =>
            values.DeleteAsync(record.Key, cancellationToken);
    }

    private sealed class FolderShape : ValueShape
    {
        public override async Task<T> LoadAsync<T>(ArtifactStore store, ArtifactRecord record, CancellationToken cancellationToken) =>
            (T)(object)await store.LoadFolderAsync(record, cancellationToken).ConfigureAwait(false);

        public override Task ExportAsync(ArtifactStore store, ArtifactRecord record, string path, IProgress<long>? progress, CancellationToken cancellationToken) =>
            store.ExportFolderAsync(record, path, progress, cancellationToken);

        public override Task<ValueCheck> VerifyAsync(ArtifactStore store, ArtifactRecord record, IProgress<long>? progress, CancellationToken cancellationToken) =>
            store.VerifyFolderAsync(record, progress, cancellationToken);

        public override Task<long> CopyAsync(ArtifactStore store, ArtifactRecord record, IValueStore destination, IProgress<long>? progress, CancellationToken cancellationToken) =>
            store.CopyFolderAsync(record, destination, progress, cancellationToken);

        public override Task DeleteAsync(IValueStore values, ArtifactRecord record, CancellationToken cancellationToken) =>
            DeleteFolderAsync(values, record, cancellationToken);
    }
}
