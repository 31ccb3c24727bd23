namespace CommunityDeliberation.Deliberation.Sessions;

public enum CheckInMethod
{
    Self,
    BySecretary,
}

/// <summary>A member's check-in to a session. One row per member and session (unique index).</summary>
public sealed class Attendance
{
    private Attendance()
    {
    }

    public Attendance(int sessionId, int membershipId, CheckInMethod method, string checkedInByUserId, DateTime atUtc)
    {
        SessionId = sessionId;
        MembershipId = membershipId;
        Method = method;
        CheckedInByUserId = checkedInByUserId;
        CheckedInAtUtc = atUtc;
    }

    public int Id { get; private set; }

    public int SessionId { get; private set; }

    public int MembershipId { get; private set; }

    public CheckInMethod Method { get; private set; }

    public string CheckedInByUserId { get; private set; } = string.Empty;

    public DateTime CheckedInAtUtc { get; private set; }
}
