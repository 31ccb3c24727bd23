using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommunityDeliberation.Deliberation.Accounts;

/// <summary>What an administrator (or a secretariat, or the server console) did. Stored as its name.</summary>
public enum AuditAction
{
    AccountCreated,
    AccountsImported,
    AccountDisabled,
    AccountEnabled,
    ResetLinkIssued,
    PasswordResetByLink,
    RoleGranted,
    RoleRevoked,
    AdminCommandRun,
    BodyCreated,
    BodyRenamed,
    BodyRulesChanged,
    TermAdded,
    SeatAdded,
    SeatChanged,
    SeatEnded,
    SeatReinstated,
    SeatRemoved,
    MembersImported,
}

/// <summary>
/// One entry of the admin audit log: who did what to what, when, with a short detail — never a password or a token.
/// Entries are only ever added (<see cref="AuditLog"/>); the app has no way to change or delete one, and the database
/// refuses UPDATE and DELETE on the table (triggers in the migration).
/// </summary>
public sealed class AuditEntry
{
    public const int MaxTarget = 200;

    public const int MaxDetail = 500;

    private AuditEntry()
    {
        ActorName = Target = Detail = string.Empty;
    }

    internal AuditEntry(DateTime atUtc, string? actorUserId, string actorName, AuditAction action, string target, string? detail)
    {
        AtUtc = atUtc;
        ActorUserId = actorUserId;
        ActorName = Clip(actorName, 256);
        Action = action;
        Target = Clip(target, MaxTarget);
        Detail = Clip(detail ?? string.Empty, MaxDetail);
    }

    public long Id { get; private set; }

    public DateTime AtUtc { get; private set; }

    /// <summary>The account that acted; null for the server console (<c>create-admin</c>).</summary>
    public string? ActorUserId { get; private set; }

    /// <summary>The actor's user name at the time (kept, so a later rename does not rewrite history).</summary>
    public string ActorName { get; private set; }

    public AuditAction Action { get; private set; }

    public string Target { get; private set; }

    public string Detail { get; private set; }

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("AuditEntries");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.ActorUserId).HasMaxLength(450);
        builder.Property(e => e.ActorName).HasMaxLength(256).IsRequired();
        builder.Property(e => e.Target).HasMaxLength(AuditEntry.MaxTarget).IsRequired();
        builder.Property(e => e.Detail).HasMaxLength(AuditEntry.MaxDetail).IsRequired();
        builder.HasIndex(e => e.AtUtc);
        builder.HasIndex(e => new { e.Action, e.AtUtc });
    }
}
