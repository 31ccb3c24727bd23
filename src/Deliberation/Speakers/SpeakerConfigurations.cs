using CommunityDeliberation.Deliberation.Bodies;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommunityDeliberation.Deliberation.Speakers;

internal sealed class SpeakerRequestConfiguration : IEntityTypeConfiguration<SpeakerRequest>
{
    public void Configure(EntityTypeBuilder<SpeakerRequest> b)
    {
        b.Ignore(x => x.IsWaiting);
        b.Ignore(x => x.IsSpeaking);
        b.Ignore(x => x.AllowedSeconds);
        b.Ignore(x => x.SpokeSeconds);
        b.Property(x => x.RemovalReason).HasMaxLength(Limits.SpeakerRemovalReason);

        // Times are UTC; SQLite gives them back without a kind. Say so on reading, so log payloads and events carry "Z".
        b.Property(x => x.RequestedAtUtc).HasConversion(v => v, v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
        b.Property(x => x.StartedAtUtc).HasConversion(v => v, v => v.HasValue ? DateTime.SpecifyKind(v.Value, DateTimeKind.Utc) : null);
        b.Property(x => x.EndedAtUtc).HasConversion(v => v, v => v.HasValue ? DateTime.SpecifyKind(v.Value, DateTimeKind.Utc) : null);
        b.Property(x => x.ClosedAtUtc).HasConversion(v => v, v => v.HasValue ? DateTime.SpecifyKind(v.Value, DateTimeKind.Utc) : null);
        b.HasOne<Session>().WithMany().HasForeignKey(x => x.SessionId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<AgendaItem>().WithMany().HasForeignKey(x => x.AgendaItemId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Membership>().WithMany().HasForeignKey(x => x.MembershipId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.AgendaItemId, x.Status, x.Position });
        b.HasIndex(x => new { x.SessionId, x.Status });

        // One waiting request per person and agenda item; one speaker at a time in a session. The database decides races.
        b.HasIndex(x => new { x.AgendaItemId, x.MembershipId }).IsUnique().HasFilter("\"Status\" = 'Waiting'").HasDatabaseName("UX_SpeakerRequests_Waiting");
        b.HasIndex(x => x.SessionId).IsUnique().HasFilter("\"Status\" = 'Speaking'").HasDatabaseName("UX_SpeakerRequests_Floor");
    }
}
