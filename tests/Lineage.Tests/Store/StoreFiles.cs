using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace Lineage.Tests.Store;

/// <summary>Looks at what a store left on disk and in its SQLite file, bypassing the store itself.</summary>
internal static class StoreFiles
{
    /// <summary>The file holding <paramref name="record"/>'s value.</summary>
    public static string ValuePath(ArtifactRecord record) =>
        Path.Combine(record.StorageRoot, record.Key.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>The <c>.lineage</c> folder of a storage root.</summary>
    public static string LineageFolder(string root) => Path.Combine(root, ".lineage");

    /// <summary>File names (not paths) in the root's <c>.lineage</c> folder, sorted.</summary>
    public static string[] LineageFileNames(string root) =>
        [.. Directory.GetFiles(LineageFolder(root)).Select(Path.GetFileName).Select(n => n!).Order(StringComparer.Ordinal)];

    /// <summary>SHA-256 of a file, lowercase hex, as the store records it.</summary>
    public static string Sha256Hex(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path))).ToLowerInvariant();

    /// <summary>Inverts every bit of one byte of a file, keeping its length.</summary>
    public static void FlipByte(string path, long offset = 0)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = offset;
        var original = file.ReadByte();
        file.Position = offset;
        file.WriteByte((byte)~original);
    }

    /// <summary>The SQLite file of a test home's default database.</summary>
    public static string DatabasePath(TestHome home) => home.Sub("db.sqlite");

    /// <summary>A direct, unpooled connection to a SQLite file.</summary>
    public static SqliteConnection OpenDatabase(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>Runs a query returning one value.</summary>
    public static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    /// <summary>Runs a statement.</summary>
    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Rows in the <c>artifacts</c> table of a SQLite file, whatever their branch.</summary>
    public static long ArtifactRowCount(string databasePath)
    {
        using var connection = OpenDatabase(databasePath);
        return (long)Scalar(connection, "SELECT COUNT(*) FROM artifacts;")!;
    }
}
