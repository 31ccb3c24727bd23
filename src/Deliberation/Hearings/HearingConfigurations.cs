using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommunityDeliberation.Deliberation.Hearings;

internal static class UtcConversions
{
    public static PropertyBuilder<DateTime> Utc(this PropertyBuilder<DateTime> p) => p.HasConversion(v => v, v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    public static PropertyBuilder<DateTime?> Utc(this PropertyBuilder<DateTime?> p) =>
        p.HasConversion(v => v, v => v.HasValue ? DateTime.SpecifyKind(v.Value, DateTimeKind.Utc) : null);
}

internal sealed class HearingConfiguration : IEntityTypeConfiguration<Hearing>
{
    public void Configure(EntityTypeBuilder<Hearing> b)
    {
        b.Ignore(x => x.Seats);
        b.Ignore(x => x.IsPublic);
        b.Ignore(x => x.AcceptsComments);
        b.Ignore(x => x.AcceptsIssues);
        b.Ignore(x => x.IssuesWithoutResponse);
        b.Property(x => x.Topic).HasMaxLength(Limits.Title);
        b.Property(x => x.Background).HasMaxLength(HearingLimits.Background);
        b.Property(x => x.Place).HasMaxLength(Limits.Place);
        b.Property(x => x.FeedbackMarkdown).HasMaxLength(HearingLimits.Feedback);
        b.Property(x => x.StartsAtUtc).Utc();
        b.Property(x => x.RegistrationDeadlineUtc).Utc();
        b.Property(x => x.CreatedAtUtc).Utc();
        b.Property(x => x.NoticePublishedAtUtc).Utc();
        b.Property(x => x.ReportPublishedAtUtc).Utc();
        b.Property(x => x.FeedbackPublishedAtUtc).Utc();

        // Every change of stage or floor is checked against the row as read: two secretaries clicking at once cannot both win.
        b.Property(x => x.Stage).IsConcurrencyToken();
        b.Property(x => x.CurrentSpeechId).IsConcurrencyToken();
        b.HasOne<Session>().WithMany().HasForeignKey(x => x.SessionId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => x.SessionId).IsUnique();
        b.HasIndex(x => x.Stage);
        b.OwnsMany<HearingSeatRow>("_seats", seats =>
        {
            seats.ToTable("HearingSeats");
            seats.WithOwner().HasForeignKey("HearingId");
            seats.Property<int>("Id");
            seats.HasKey("Id");
            seats.HasIndex("HearingId", nameof(HearingSeatRow.Category)).IsUnique();
        });
        b.Navigation("_seats").UsePropertyAccessMode(PropertyAccessMode.Field);
        b.HasMany(x => x.Issues).WithOne().HasForeignKey(x => x.HearingId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(x => x.Issues).UsePropertyAccessMode(PropertyAccessMode.Field).HasField("_issues");
    }
}

internal sealed class HearingIssueConfiguration : IEntityTypeConfiguration<HearingIssue>
{
    public void Configure(EntityTypeBuilder<HearingIssue> b)
    {
        b.Property(x => x.Title).HasMaxLength(HearingLimits.IssueTitle);
        b.Property(x => x.Response).HasMaxLength(HearingLimits.Response);
        b.HasIndex(x => new { x.HearingId, x.Number }).IsUnique();
    }
}

internal sealed class HearingRegistrationConfiguration : IEntityTypeConfiguration<HearingRegistration>
{
    public void Configure(EntityTypeBuilder<HearingRegistration> b)
    {
        b.Property(x => x.Name).HasMaxLength(Limits.Name);
        b.Property(x => x.Affiliation).HasMaxLength(HearingLimits.Affiliation);
        b.Ignore(x => x.IsPresent);
        b.Property(x => x.Contact).HasMaxLength(Limits.Contact);

        // Added after registrations existed: those rows did not ask (ADR 0018).
        b.Property(x => x.NotifyOnDecision).HasDefaultValue(false);
        b.Property(x => x.NotifyUserId).HasMaxLength(450);
        b.Property(x => x.IdentityKey).HasMaxLength(64);
        b.Property(x => x.Testimony).HasMaxLength(HearingLimits.TestimonyMax);
        b.Property(x => x.TrackingCode).HasMaxLength(16);
        b.Property(x => x.SourceKey).HasMaxLength(64);
        b.HasIndex(x => new { x.SourceKey, x.CreatedAtUtc });
        b.Property(x => x.Reason).HasMaxLength(Limits.Reason);
        b.Property(x => x.CreatedAtUtc).Utc();
        b.Property(x => x.CheckedInAtUtc).Utc();
        b.HasOne<Hearing>().WithMany().HasForeignKey(x => x.HearingId).OnDelete(DeleteBehavior.Cascade);

        // One registration per person and hearing: the database decides when two arrive at once.
        b.HasIndex(x => new { x.HearingId, x.IdentityKey }).IsUnique().HasDatabaseName("UX_HearingRegistrations_Person");
        b.HasIndex(x => x.TrackingCode).IsUnique();
        b.HasIndex(x => new { x.HearingId, x.Category, x.Status });
    }
}

internal sealed class HearingSpeechConfiguration : IEntityTypeConfiguration<HearingSpeech>
{
    public void Configure(EntityTypeBuilder<HearingSpeech> b)
    {
        b.Ignore(x => x.SpokeSeconds);
        b.Ignore(x => x.IsPanelQuestion);
        b.Property(x => x.AskedBy).HasMaxLength(Limits.Name);
        b.Property(x => x.SpeakerName).HasMaxLength(Limits.Name);
        b.Property(x => x.Summary).HasMaxLength(HearingLimits.Summary);
        b.Property(x => x.StartedAtUtc).Utc();
        b.Property(x => x.EndedAtUtc).Utc();
        b.HasOne<Hearing>().WithMany().HasForeignKey(x => x.HearingId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<HearingRegistration>().WithMany().HasForeignKey(x => x.RegistrationId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.HearingId, x.StartedAtUtc });
    }
}

internal sealed class HearingCommentConfiguration : IEntityTypeConfiguration<HearingComment>
{
    public void Configure(EntityTypeBuilder<HearingComment> b)
    {
        b.Property(x => x.AuthorName).HasMaxLength(Limits.Name);
        b.Property(x => x.Text).HasMaxLength(HearingLimits.CommentText);
        b.Property(x => x.HiddenReason).HasMaxLength(Limits.Reason);
        b.Property(x => x.CreatedAtUtc).Utc();
        b.HasOne<Hearing>().WithMany().HasForeignKey(x => x.HearingId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<HearingRegistration>().WithMany().HasForeignKey(x => x.RegistrationId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.HearingId, x.CreatedAtUtc });
    }
}

internal sealed class HearingDrawConfiguration : IEntityTypeConfiguration<HearingDraw>
{
    public void Configure(EntityTypeBuilder<HearingDraw> b)
    {
        b.Property(x => x.Seed).HasMaxLength(64);
        b.Property(x => x.DrawnAtUtc).Utc();
        b.HasOne<Hearing>().WithMany().HasForeignKey(x => x.HearingId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.HearingId, x.Category });
    }
}
