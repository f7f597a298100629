using Lineage.Tests.Servers;

namespace Lineage.Tests.Catalog;

/// <summary>store.ListPage: the latest version of each name, a page at a time, with a cursor; on SQLite and PostgreSQL.</summary>
public sealed class ListPagingTests(PostgresServer postgres, S3Server s3)
{
    public static TheoryData<Backend> Databases => new(Backend.SqliteLocal, new Backend(MetadataBackend.Postgres, ValueBackend.Local));

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Pages_walk_every_name_once_in_List_order_and_the_last_page_has_no_cursor(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        using var store = environment.Open();
        foreach (var name in new[] { "e", "a", "d", "b", "c", "f", "g" })
        {
            store.Save(name, 1);
        }

        store.Save("c", 2);
        store.Save("d", 2);
        store.Delete("d", 2);

        var first = store.ListPage(3);
        var second = store.ListPage(3, first.NextCursor);
        var last = store.ListPage(3, second.NextCursor);

        Assert.Equal(["a@1", "b@1", "c@2"], Names(first.Items));
        Assert.Equal(["d@1", "e@1", "f@1"], Names(second.Items));
        Assert.Equal(["g@1"], Names(last.Items));
        Assert.Null(last.NextCursor);
        Assert.Equal(store.List(), [.. first.Items, .. second.Items, .. last.Items]);
        Assert.Equal(7, store.CountListed());
        Assert.Equal(4, store.CountListed(first.NextCursor));
        Assert.Equal(Names(store.List()), Names(await ToListAsync(store.ListEachAsync(pageSize: 2, TestContext.Current.CancellationToken))));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task A_cursor_stays_put_when_names_are_saved_or_deleted_between_pages(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        using var store = environment.Open();
        foreach (var name in new[] { "b", "d", "f", "h" })
        {
            store.Save(name, 1);
        }

        var first = store.ListPage(2);
        store.Save("a", 1);   // before the cursor: not on later pages
        store.Save("e", 1);   // after it: on the next page
        store.Delete("b", 1); // on the page already read: nothing shifts
        store.Save("f", 2);   // a new latest version of a later name
        var second = store.ListPage(2, first.NextCursor);
        var third = store.ListPage(2, second.NextCursor);

        Assert.Equal(["b@1", "d@1"], Names(first.Items));
        Assert.Equal(["e@1", "f@2"], Names(second.Items));
        Assert.Equal(["h@1"], Names(third.Items));
        Assert.Null(third.NextCursor);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task An_exactly_full_last_page_says_there_is_no_next_one(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        using var store = environment.Open();
        store.Save("a", 1);
        store.Save("b", 1);

        var page = store.ListPage(2);

        Assert.Equal(["a@1", "b@1"], Names(page.Items));
        Assert.Null(page.NextCursor);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task An_empty_store_has_one_empty_page(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        using var store = environment.Open();
        store.Save("trashed", 1);
        store.Delete("trashed", 1);

        var page = store.ListPage();

        Assert.Empty(page.Items);
        Assert.Null(page.NextCursor);
        Assert.Equal(0, store.CountListed());
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task A_cursor_that_no_page_returned_is_refused_with_what_to_pass(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        using var store = environment.Open();
        store.Save("a", 1);
        store.Save("b", 1);
        var cursor = store.ListPage(1).NextCursor!;

        foreach (var invalid in new[] { "b", "", "n1.", "n1.!!!", "x" + cursor, cursor[..^1] + "*" })
        {
            var refused = Assert.Throws<ArgumentException>(() => store.ListPage(1, invalid));
            Assert.Equal("cursor", refused.ParamName);
            Assert.Contains("NextCursor", refused.Message, StringComparison.Ordinal);
        }

        Assert.Throws<ArgumentException>(() => store.CountListed("b"));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.ListPage(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.ListPage(ArtifactPage.MaxLimit + 1));
        Assert.Equal(["b@1"], Names(store.ListPage(1, cursor).Items));
    }

    private static List<string> Names(IEnumerable<ArtifactRecord> records) => [.. records.Select(r => $"{r.Name}@{r.Version}")];

    private static async Task<List<ArtifactRecord>> ToListAsync(IAsyncEnumerable<ArtifactRecord> records)
    {
        var list = new List<ArtifactRecord>();
        await foreach (var record in records)
        {
            list.Add(record);
        }

        return list;
    }
}
