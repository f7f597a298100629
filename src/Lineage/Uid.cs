using System.Security.Cryptography;

namespace Lineage;

/// <summary>Random base62 identifiers, as LaminDB uses: 16 characters for artifacts, 12 for storages and instances.</summary>
internal static class Uid
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string New(int length = 16) => RandomNumberGenerator.GetString(Alphabet, length);
}
