using Lineage.Tests.Backends;
using Lineage.Tests.Servers;
using static Lineage.Tests.Storage.StorageSandbox;

namespace Lineage.Tests.Storage;

/// <summary>
/// "By default, a storage location inherits the access permissions of its instance. If you want to further restrict access to a
/// storage location, you can move it into a space", and the users spaces are made of ("created_by: Creator of record").
/// </summary>
public sealed class SpaceAndUserTests(PostgresServer postgres, S3Server s3)
{
    public static TheoryData<Backend> Required => StorageSandbox.Required;

    [Theory]
    [MemberData(nameof(Required))]
    public async Task Moving_a_storage_location_into_a_space_restricts_it_to_members(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        using var alice = sandbox.Open(user: "alice");
        using var bob = sandbox.Open(user: "bob");
        alice.Save("before", "saved while open to all");
        Assert.Equal("saved while open to all", bob.Load<string>("before"));

        var team = alice.Spaces.Add("team", "the people allowed in");
        var moved = alice.Storages.SetSpace(sandbox.Root, "team");

        Assert.Equal(("team", "the people allowed in"), (team.Name, team.Description));
        Assert.Equal("team", moved.Space);
        Assert.Equal(["alice"], alice.Spaces.Members("team"));
        var write = Assert.Throws<SpaceAccessDeniedException>(() => bob.Save("x", 1));
        var read = Assert.Throws<SpaceAccessDeniedException>(() => bob.Load<string>("before"));
        Assert.Equal(("bob", "team", sandbox.Root), (write.User, write.Space, write.Root));
        Assert.Contains("user 'bob'", read.Message, StringComparison.Ordinal);
        Assert.Contains("space 'team'", read.Message, StringComparison.Ordinal);
        Assert.Throws<SpaceAccessDeniedException>(() => bob.Storages.SetSpace(sandbox.Root, SpaceRecord.All));
        Assert.Equal("saved while open to all", alice.Load<string>("before"));
        Assert.Equal(1, alice.Save("x", 1).Version);

        alice.Spaces.AddMember("team", "bob");
        Assert.Equal(2, bob.Save("x", 2).Version);
        Assert.Equal("saved while open to all", bob.Load<string>("before"));
        Assert.Equal(["alice", "bob"], alice.Spaces.Members("team"));

        alice.Spaces.RemoveMember("team", "bob");
        Assert.Throws<SpaceAccessDeniedException>(() => bob.Load<int>("x", 2));

        alice.Storages.SetSpace(sandbox.Root, SpaceRecord.All);
        Assert.Equal(2, bob.Load<int>("x", 2));
    }

    [Theory]
    [MemberData(nameof(Required))]
    public async Task A_member_removed_a_moment_ago_can_no_longer_save_and_nothing_is_left_behind(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        using var alice = sandbox.Open(user: "alice");
        using var bob = sandbox.Open(user: "bob");
        alice.Spaces.Add("team");
        alice.Spaces.AddMember("team", "bob");
        alice.Storages.SetSpace(sandbox.Root, "team");
        Assert.Equal(1, bob.Save("x", 1).Version);

        alice.Spaces.RemoveMember("team", "bob");
        var refused = Assert.Throws<SpaceAccessDeniedException>(() => bob.Save("x", 2));

        Assert.Equal(("bob", "team"), (refused.User, refused.Space));
        // With metadata too: its indexed copy goes only with a version that was written.
        Assert.Throws<SpaceAccessDeniedException>(() => bob.Save("x", 3, new SaveOptions { Metadata = { ["accuracy"] = 0.5 } }));
        Assert.Equal([1], alice.Versions("x").Select(v => v.Version));
        Assert.Equal(2, (await sandbox.LineageEntriesAsync(sandbox.Root)).Count);
    }

    [Theory]
    [MemberData(nameof(Required))]
    public async Task Only_members_add_or_remove_members(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        using var alice = sandbox.Open(user: "alice");
        using var mallory = sandbox.Open(user: "mallory");
        alice.Spaces.Add("team");

        var add = Assert.Throws<SpaceAccessDeniedException>(() => mallory.Spaces.AddMember("team", "mallory"));
        var remove = Assert.Throws<SpaceAccessDeniedException>(() => mallory.Spaces.RemoveMember("team", "alice"));

        Assert.Equal(("mallory", "team"), (add.User, add.Space));
        Assert.Contains("not a member", remove.Message, StringComparison.Ordinal);
        Assert.Equal(["alice"], alice.Spaces.Members("team"));
    }

    [Theory]
    [MemberData(nameof(Required))]
    public async Task Moving_a_location_into_a_space_you_are_not_in_is_refused(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        using var alice = sandbox.Open(user: "alice");
        using var bob = sandbox.Open(user: "bob");
        bob.Spaces.Add("bobs-space");

        var error = Assert.Throws<SpaceAccessDeniedException>(() => alice.Storages.SetSpace(sandbox.Root, "bobs-space"));

        Assert.Equal(("alice", "bobs-space"), (error.User, error.Space));
        Assert.Equal(SpaceRecord.All, alice.Storages.Default.Space);
        Assert.Equal(SpaceRecord.All, alice.Storages.Get(sandbox.Root).Space);
        Assert.Equal([SpaceRecord.All, "bobs-space"], alice.Spaces.List().Select(s => s.Name));
        Assert.Throws<LineageException>(() => alice.Spaces.Get("no-such-space"));
    }

    // Spaces.Add returns an existing space; only its creator becomes a member, not everyone who asks for it by name.
    [Theory]
    [MemberData(nameof(Required))]
    public async Task Adding_an_existing_space_does_not_make_the_caller_a_member(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        using var alice = sandbox.Open(user: "alice");
        using var mallory = sandbox.Open(user: "mallory");
        var created = alice.Spaces.Add("team");
        alice.Storages.SetSpace(sandbox.Root, "team");

        var existing = mallory.Spaces.Add("team");

        Assert.Equal(created.Uid, existing.Uid);
        Assert.Equal(["alice"], alice.Spaces.Members("team"));
        Assert.Throws<SpaceAccessDeniedException>(() => mallory.Save("x", 1));
    }

    [Theory]
    [MemberData(nameof(Required))]
    public async Task Users_are_identified_by_LINEAGE_USER_or_the_OS_user(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        using var named = sandbox.Open(user: "  alice  ");
        using var unnamed = sandbox.Open();
        var fromEnvironment = Environment.GetEnvironmentVariable("LINEAGE_USER");
        var expectedDefault = string.IsNullOrWhiteSpace(fromEnvironment) ? Environment.UserName : fromEnvironment.Trim();

        Assert.Equal(("alice", SettingSource.Explicit), (named.Options.User, named.Options.UserSource));
        Assert.Equal(expectedDefault, unnamed.Options.User);

        // A separate process, so this test's environment variables stay its own.
        ProgramRunner.WriteUserConfig(sandbox.Options());
        var withVariable = await SaveInChildAsync(sandbox, "saved-by-env-user", "env-user");
        var withoutVariable = await SaveInChildAsync(sandbox, "saved-by-os-user", string.Empty);

        Assert.True(withVariable.ExitCode == 0, withVariable.Error);
        Assert.True(withoutVariable.ExitCode == 0, withoutVariable.Error);
        Assert.Equal("env-user", named.Get("saved-by-env-user").CreatedBy);
        Assert.Equal(Environment.UserName, named.Get("saved-by-os-user").CreatedBy);

        named.Spaces.Add("team");
        named.Storages.SetSpace(sandbox.Root, "team");
        Assert.Throws<SpaceAccessDeniedException>(() => unnamed.Load<string>("saved-by-env-user"));
        Assert.Equal("writer 0 save 0", named.Load<string>("saved-by-env-user"));
    }

    [Theory]
    [MemberData(nameof(Required))]
    public async Task Created_by_records_the_user(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        var extra = await sandbox.NewRootAsync();
        await sandbox.WriteAsync(sandbox.Root, "existing/file.txt", "already there");
        using var alice = sandbox.Open(user: "alice");
        using var bob = sandbox.Open(user: "bob");
        using var carol = sandbox.Open(user: "carol");

        var first = alice.Save("x", 1);
        var second = bob.Save("x", 2);
        var location = bob.Storages.Add(extra);
        var registered = carol.Register(PathUnder(sandbox.Root, "existing/file.txt"), "file");

        Assert.Equal(("alice", HostA), (first.CreatedBy, first.Host));
        Assert.Equal("bob", second.CreatedBy);
        Assert.Equal(["alice", "bob"], carol.Versions("x").Select(v => v.CreatedBy));
        Assert.Equal("bob", location.CreatedBy);
        Assert.Equal("bob", alice.Storages.Get(extra).CreatedBy);
        Assert.Equal("alice", carol.Storages.Default.CreatedBy);
        Assert.Equal("carol", registered.CreatedBy);
        Assert.Equal("carol", alice.Get("file").CreatedBy);
    }

    private static Task<(int ExitCode, string Output, string Error)> SaveInChildAsync(StorageSandbox sandbox, string name, string user) =>
        ProgramRunner.RunAsync("Lineage.SaveWorker", [name, "1", "0"], new Dictionary<string, string>
        {
            ["LINEAGE_HOME"] = sandbox.Environment.Home.Path,
            ["LINEAGE_HOST"] = HostA,
            ["LINEAGE_USER"] = user,
            ["LINEAGE_LOCAL_STORAGE"] = string.Empty,
        });
}
