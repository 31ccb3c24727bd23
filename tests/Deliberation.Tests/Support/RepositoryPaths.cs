namespace CommunityDeliberation.Tests.Support;

/// <summary>Finds the repository by walking up from the test binaries to the folder holding the solution file.</summary>
public static class RepositoryPaths
{
    private const string SolutionFile = "CommunityDeliberation.sln";

    private static readonly Lazy<string> RootPath = new(FindRoot);

    public static string Root => RootPath.Value;

    public static string Seeds => Path.Combine(Root, "seeds");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFile)))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No {SolutionFile} above {AppContext.BaseDirectory}");
    }
}
