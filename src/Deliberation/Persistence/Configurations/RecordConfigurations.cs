using CommunityDeliberation.Deliberation.Records;
using CommunityDeliberation.Deliberation.Sessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommunityDeliberation.Deliberation.Persistence.Configurations;

internal sealed class SessionLogEntryConfiguration : IEntityTypeConfiguration<SessionLogEntry>
{
    public void Configure(EntityTypeBuilder<SessionLogEntry> b)
    {
        b.ToTable("SessionLog");
        b.HasOne<Session>().WithMany().HasForeignKey(x => x.SessionId).OnDelete(DeleteBehavior.Restrict);
        b.Property(x => x.Kind).HasMaxLength(60);
        b.Property(x => x.PreviousHash).HasMaxLength(64).IsFixedLength();
        b.Property(x => x.Hash).HasMaxLength(64).IsFixedLength();
        b.HasIndex(x => new { x.SessionId, x.Sequence }).IsUnique().HasDatabaseName("UX_SessionLog_Session_Sequence");
    }
}
