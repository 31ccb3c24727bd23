using CommunityDeliberation.Deliberation.Shared.Authority;

namespace CommunityDeliberation.Deliberation.Voting;

/// <summary>Who may run, cast and annul the votes of a session. Offices are those of the session's term.</summary>
public static class VotingPermissions
{
    /// <summary>Drafts, opens, closes and publishes votes and records paper counts: the chair or a vice-chair.</summary>
    public static bool MayRunVotes(Offices offices) => offices.Presides;

    /// <summary>
    /// The side of an annulment this person may take: a vote is annulled when the presiding side ("Chair") and the
    /// secretary ("Secretary") have both asked. Null when they may take neither.
    /// </summary>
    public static string? AnnulmentSide(Offices offices) =>
        offices.Presides ? AnnulmentSides.Chair : offices.IsSecretary ? AnnulmentSides.Secretary : null;
}

/// <summary>The two sides whose agreement annuls a vote (stored in the poll and logged as today).</summary>
public static class AnnulmentSides
{
    public const string Chair = "Chair";
    public const string Secretary = "Secretary";
}
