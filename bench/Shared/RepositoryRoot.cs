namespace CommunityDeliberation.Bench;

/// <summary>
/// The repository's root (the folder holding CommunityDeliberation.sln), found upwards from the running benchmark.
/// Linked into every project under bench/ (one copy, not one per benchmark).
/// </summary>
internal static class RepositoryRoot
{
    public static string Folder { get; } = Find();

    /// <summary>The demo data the benchmarks seed their databases with.</summary>
    public static string Seeds => Path.Combine(Folder, "seeds");

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CommunityDeliberation.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("CommunityDeliberation.sln not found above " + AppContext.BaseDirectory + ": run the benchmark inside the repository");
    }
}
