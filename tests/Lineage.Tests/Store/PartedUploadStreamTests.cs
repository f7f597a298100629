using Lineage.Values;

namespace Lineage.Tests.Store;

/// <summary>How the upload shared by S3 and Azure cuts writes into parts, and when it lets go of a caller's buffer.</summary>
public sealed class PartedUploadStreamTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_write_spanning_every_slot_ships_whole_parts_from_the_callers_array_and_returns_when_they_have_arrived()
    {
        var header = Enumerable.Range(0, 10).Select(i => (byte)i).ToArray();
        var body = new byte[5000];
        new Random(5000).NextBytes(body);
        var expected = header.Concat(body).Concat(header).ToArray();
        await using var upload = new SlowUpload(partSize: 1000, maxConcurrentParts: 3);

        await upload.WriteAsync(header, Ct);
        await upload.WriteAsync(body, Ct);
        Array.Fill(body, (byte)0xFF);
        await upload.WriteAsync(header, Ct);
        var parts = await upload.CompleteAsync();

        Assert.Equal(expected, parts.SelectMany(p => p.Bytes).ToArray());
        Assert.Equal(expected.Length, upload.Length);

        // The header's part is filled with a copy; the next four are the body's own array; the tail and the last header are copied.
        Assert.Equal([false, true, true, true, true, false], parts.Select(p => p.FromCallersArray).ToArray());
    }

    [Fact]
    public async Task Smaller_writes_are_copied_so_the_caller_may_reuse_its_buffer_at_once()
    {
        var chunk = new byte[700];
        var expected = new List<byte>();
        await using var upload = new SlowUpload(partSize: 1000, maxConcurrentParts: 3);

        for (var i = 0; i < 6; i++)
        {
            Array.Fill(chunk, (byte)i);
            expected.AddRange(chunk);
            await upload.WriteAsync(chunk, Ct);
        }

        var parts = await upload.CompleteAsync();

        Assert.Equal(expected, parts.SelectMany(p => p.Bytes));
        Assert.All(parts, p => Assert.False(p.FromCallersArray));
    }

    /// <summary>Takes its time before it reads a part, as a slow network would: a part still read after its write returned shows.</summary>
    private sealed class SlowUpload(int partSize, int maxConcurrentParts)
        : PartedUploadStream<(byte[] Bytes, bool FromCallersArray)>(partSize, maxConcurrentParts, CancellationToken.None)
    {
        private readonly HashSet<byte[]> _written = new(ReferenceEqualityComparer.Instance);

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (System.Runtime.InteropServices.MemoryMarshal.TryGetArray(buffer, out var segment))
            {
                lock (_written)
                {
                    _written.Add(segment.Array!);
                }
            }

            await base.WriteAsync(buffer, cancellationToken);
        }

        public Task<(byte[] Bytes, bool FromCallersArray)[]> CompleteAsync() => ShipRestAsync();

        protected override async Task<(byte[] Bytes, bool FromCallersArray)> UploadPartAsync(ArraySegment<byte> part, int index)
        {
            await Task.Delay(50);
            bool fromCaller;
            lock (_written)
            {
                fromCaller = _written.Contains(part.Array!);
            }

            return (part.ToArray(), fromCaller);
        }
    }
}
