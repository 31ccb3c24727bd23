using CommunityDeliberation.Deliberation.Sessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommunityDeliberation.Deliberation.Minutes;

internal sealed class SessionLogEntryConfiguration : IEntityTypeConfiguration<SessionLogEntry>
{
    public void Configure(EntityTypeBuilder<SessionLogEntry> b)
    {
        b.ToTable("SessionLog");
        b.HasOne<Session>().WithMany().HasForeignKey(x => x.SessionId).OnDelete(DeleteBehavior.Restrict);
        b.Property(x => x.Kind).HasMaxLength(60);
        b.Property(x => x.PreviousHash).HasMaxLength(64).IsFixedLength();
        b.Property(x => x.Hash).HasMaxLength(64).IsFixedLength();
        b.Property(x => x.KeyId).HasMaxLength(16);
        b.Property(x => x.Signature).HasMaxLength(120);
        b.HasIndex(x => new { x.SessionId, x.Sequence }).IsUnique().HasDatabaseName("UX_SessionLog_Session_Sequence");
    }
}

internal sealed class MinutesConfiguration : IEntityTypeConfiguration<SessionMinutes>
{
    public void Configure(EntityTypeBuilder<SessionMinutes> b)
    {
        b.HasOne<Session>().WithMany().HasForeignKey(x => x.SessionId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => x.SessionId).IsUnique();
        b.Ignore(x => x.Working);
        b.Ignore(x => x.LatestPublished);
        b.HasMany(x => x.Versions).WithOne().HasForeignKey(v => v.MinutesId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(x => x.Versions).UsePropertyAccessMode(PropertyAccessMode.Field).AutoInclude();
        b.HasMany(x => x.Corrections).WithOne().HasForeignKey(c => c.MinutesId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(x => x.Corrections).UsePropertyAccessMode(PropertyAccessMode.Field).AutoInclude();
    }
}

internal sealed class MinutesVersionConfiguration : IEntityTypeConfiguration<MinutesVersion>
{
    public void Configure(EntityTypeBuilder<MinutesVersion> b)
    {
        b.Property(x => x.Markdown).HasMaxLength(SessionMinutes.MarkdownMax);
        b.Property(x => x.Reason).HasMaxLength(SessionMinutes.ReasonMax);
        b.Property(x => x.LogHash).HasMaxLength(64).IsFixedLength();
        b.Property(x => x.ContentHash).HasMaxLength(64).IsFixedLength();
        b.Property(x => x.LogKeyId).HasMaxLength(16);
        b.Property(x => x.LogSignature).HasMaxLength(120);
        b.Ignore(x => x.Head);
        b.HasIndex(x => new { x.MinutesId, x.Number }).IsUnique();
        b.HasIndex(x => x.PublishedAtUtc);
    }
}

internal sealed class CorrectionRequestConfiguration : IEntityTypeConfiguration<CorrectionRequest>
{
    public void Configure(EntityTypeBuilder<CorrectionRequest> b)
    {
        b.Property(x => x.MemberName).HasMaxLength(100);
        b.Property(x => x.Text).HasMaxLength(2000);
        b.Property(x => x.Resolution).HasMaxLength(1000);
    }
}
