using System.Text.Json;

namespace CommunityDeliberation.EndToEnd;

/// <summary>Demo passwords, read from the seed files (the only place they are written down besides the README).</summary>
public static class DemoAccounts
{
    private static readonly JsonDocument Accounts = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppServer.RepositoryRoot, "seeds", "accounts.json")));

    public static string MemberPassword => Accounts.RootElement.GetProperty("memberPassword").GetString()!;

    public static string PasswordOf(string userName) =>
        Accounts.RootElement.GetProperty("accounts").EnumerateArray()
            .Single(a => a.GetProperty("userName").GetString() == userName)
            .GetProperty("password").GetString()!;
}
