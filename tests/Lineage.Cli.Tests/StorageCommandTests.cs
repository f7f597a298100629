namespace Lineage.Cli.Tests;

/// <summary><c>storage ls|add|default|rm|migrate</c> against a real store.</summary>
public sealed class StorageCommandTests
{
    [Fact]
    public async Task Storage_ls_shows_the_default_location_and_one_added_with_a_description()
    {
        using var home = new CliHome();
        using (home.Open())
        {
        }

        var added = await home.RunAsync("storage", "add", home.Sub("second"), "--description", "second disk");
        var text = await home.RunAsync("storage", "ls");
        var json = await home.RunAsync("storage", "ls", "--json");

        Assert.True(added.ExitCode == 0, added.ToString());
        Assert.Contains("this instance", added.Output, StringComparison.Ordinal);
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains(home.Root, text.Output, StringComparison.Ordinal);
        Assert.Contains("second disk", text.Output, StringComparison.Ordinal);
        var rows = json.Json().EnumerateArray().ToList();
        Assert.Equal(2, rows.Count);
        var first = rows.Single(r => r.GetProperty("root").GetString() == home.Root);
        var second = rows.Single(r => r.GetProperty("root").GetString() == home.Sub("second"));
        Assert.True(first.GetProperty("is_default").GetBoolean());
        Assert.False(second.GetProperty("is_default").GetBoolean());
        Assert.True(second.GetProperty("is_writable").GetBoolean());
        Assert.Equal("second disk", second.GetProperty("description").GetString());
        Assert.Equal("local", second.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Storage_add_refuses_a_root_nested_in_a_registered_one()
    {
        using var home = new CliHome();
        using (home.Open())
        {
        }

        var result = await home.RunAsync("storage", "add", home.Sub("artifacts", "inner"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("nested inside", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Storage_migrate_moves_every_version_verified_and_the_dry_run_moves_nothing()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("a", "first");
            store.Save("a", "second");
            store.Save("b", new byte[] { 1, 2, 3 });
            store.Delete("b", 1);
        }

        var dry = await home.RunAsync("storage", "migrate", home.Root, home.Sub("moved"), "--dry-run");
        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Contains($"would copy from {home.Root} to {home.Sub("moved")} ({home.Sub("moved")} is not registered yet; the real run registers it).", dry.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(home.Sub("moved"), ".lineage", "storage.json")));
        Assert.DoesNotContain(home.Sub("moved"), (await home.RunAsync("storage", "ls")).Output, StringComparison.Ordinal);

        Assert.Equal(0, (await home.RunAsync("storage", "add", home.Sub("moved"))).ExitCode);
        var planned = await home.RunAsync("storage", "migrate", home.Root, home.Sub("moved"), "--dry-run", "--json");
        Assert.True(planned.ExitCode == 0, planned.ToString());
        Assert.Equal(3, planned.Json().GetProperty("planned").GetArrayLength());
        using (var store = home.Open())
        {
            Assert.All(store.ListAllVersions(branch: null), r => Assert.Equal(home.Root, r.StorageRoot));
        }

        var migrated = await home.RunAsync("storage", "migrate", home.Root, home.Sub("moved"), "--delete-source");

        Assert.True(migrated.ExitCode == 0, migrated.ToString());
        Assert.Contains("Moved 3 of 3", migrated.Output, StringComparison.Ordinal);
        using (var store = home.Open())
        {
            Assert.All(store.ListAllVersions(branch: null), r => Assert.Equal(home.Sub("moved"), r.StorageRoot));
            Assert.Equal("first", store.Load<string>("a", 1));
            store.Restore("b", 1);
            Assert.Equal(new byte[] { 1, 2, 3 }, store.Load<byte[]>("b", 1));
        }

        Assert.Equal(["storage.json"], Directory.GetFiles(Path.Combine(home.Root, ".lineage")).Select(Path.GetFileName));
        Assert.Equal(0, (await home.RunAsync("verify")).ExitCode);
    }

    [Fact]
    public async Task Storage_rm_refuses_a_location_with_artifacts_and_removes_an_empty_one()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Storages.Add(home.Sub("empty"));
            store.Storages.Add(home.Sub("full"));
            store.Storages.SetDefault(home.Sub("full"));
            store.Save("x", 1);
            store.Delete("x", 1);
        }

        var refused = await home.RunAsync("storage", "rm", home.Sub("full"));
        var removed = await home.RunAsync("storage", "rm", home.Sub("empty"), "--json");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("1 artifact version(s) live there (0 live, 1 in the trash", refused.Error, StringComparison.Ordinal);
        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.Equal(home.Sub("empty"), removed.Json().GetProperty("removed").GetString());
        Assert.False(File.Exists(Path.Combine(home.Sub("empty"), ".lineage", "storage.json")));
        var listing = await home.RunAsync("storage", "ls", "--json");
        Assert.DoesNotContain(listing.Json().EnumerateArray(), r => r.GetProperty("root").GetString() == home.Sub("empty"));
    }

    [Fact]
    public async Task Storage_default_writes_artifact_storage_dir_so_the_next_save_goes_there()
    {
        using var home = new CliHome();
        Assert.Equal(0, (await home.RunAsync("init")).ExitCode);
        Assert.Equal(0, (await home.RunAsync("storage", "add", home.Sub("team"))).ExitCode);

        var result = await home.RunAsync("storage", "default", home.Sub("team"));

        Assert.True(result.ExitCode == 0, result.ToString());
        var config = await home.RunAsync("config", "--json");
        Assert.Equal(home.Sub("team"), config.Json().GetProperty("artifact_storage_dir").GetProperty("value").GetString());
        using var store = ArtifactStore.Open(new LineageOptions { Home = home.Path });
        Assert.Equal(home.Sub("team"), store.Save("after", 1).StorageRoot);
    }

    [Fact]
    public async Task Archive_hides_a_version_from_ls_but_show_still_finds_it_and_restore_brings_it_back()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("model", "v1");
            store.Save("model", "v2");
        }

        var archived = await home.RunAsync("archive", "model@2");
        var latest = await home.RunAsync("ls", "--json");
        var inArchive = await home.RunAsync("ls", "--archive", "--json");
        var shown = await home.RunAsync("show", "model@2", "--json");
        var restored = await home.RunAsync("restore", "model@2");
        var after = await home.RunAsync("ls", "--json");

        Assert.True(archived.ExitCode == 0, archived.ToString());
        Assert.Equal(1, latest.Json()[0].GetProperty("version").GetInt32());
        Assert.Equal(2, inArchive.Json()[0].GetProperty("version").GetInt32());
        Assert.Equal("archive", shown.Json().GetProperty("branch").GetString());
        Assert.True(restored.ExitCode == 0, restored.ToString());
        Assert.Equal(2, after.Json()[0].GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Storage_migrate_without_delete_source_says_copied_and_how_gc_removes_the_sources()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("a", "first");
        }

        var migrated = await home.RunAsync("storage", "migrate", home.Root, home.Sub("moved"));
        var gc = await home.RunAsync("gc", "--older-than", "0", "--json");

        Assert.True(migrated.ExitCode == 0, migrated.ToString());
        Assert.Contains($"Copied 1 of 1 artifact version(s) from {home.Root} to {home.Sub("moved")}", migrated.Output, StringComparison.Ordinal);
        Assert.Contains("'lineage gc --delete' removes them", migrated.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Moved", migrated.Output, StringComparison.Ordinal);
        Assert.Equal(1, gc.Json().GetProperty("files").GetArrayLength());
    }

    [Fact]
    public async Task Storage_migrate_into_a_root_another_instance_writes_leaves_no_registration_and_names_the_target()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("a", "first");
        }

        Directory.CreateDirectory(Path.Combine(home.Sub("theirs"), ".lineage"));
        await File.WriteAllTextAsync(Path.Combine(home.Sub("theirs"), ".lineage", "storage.json"),
            """{ "lineage_storage": 1, "storage_uid": "takenover01", "instance_uid": "other-instance", "database": "elsewhere", "created_at": "2026-01-01T00:00:00Z" }""",
            TestContext.Current.CancellationToken);

        var migrated = await home.RunAsync("storage", "migrate", home.Root, home.Sub("theirs"));

        Assert.Equal(1, migrated.ExitCode);
        Assert.Contains($"the migration target '{home.Sub("theirs")}' is written by instance 'other-instance'", migrated.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("artifact_storage_dir", migrated.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(home.Sub("theirs"), (await home.RunAsync("storage", "ls")).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_errors_advise_the_lineage_command_where_one_exists()
    {
        using var home = new CliHome();
        using (home.Open())
        {
        }

        var missing = await home.RunAsync("storage", "rm", home.Sub("nowhere"));

        Assert.Equal(1, missing.ExitCode);
        Assert.Contains($"Register it with 'lineage storage add {home.Sub("nowhere")}'.", missing.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("store.Storages", missing.Error, StringComparison.Ordinal);
    }
}
