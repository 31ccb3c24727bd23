using CommunityDeliberation.Deliberation.Ledger;
using CommunityDeliberation.Deliberation.Shared.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommunityDeliberation.Deliberation.Notifications;

internal sealed class NoticeConfiguration : IEntityTypeConfiguration<Notice>
{
    public void Configure(EntityTypeBuilder<Notice> b)
    {
        b.Property(x => x.UserId).HasMaxLength(450);
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(40);
        b.Property(x => x.Subject).HasMaxLength(Notice.SubjectMax);
        b.Property(x => x.Detail).HasMaxLength(Notice.DetailMax);
        b.Property(x => x.Link).HasMaxLength(Notice.LinkMax);
        b.HasOne<AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);

        // The list (newest first) and the badge (unread) of one person.
        b.HasIndex(x => new { x.UserId, x.Id });
        b.HasIndex(x => new { x.UserId, x.ReadAtUtc });
    }
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> b)
    {
        b.Property(x => x.Channel).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Recipient).HasMaxLength(OutboxMessage.RecipientMax);
        b.Property(x => x.Subject).HasMaxLength(OutboxMessage.SubjectMax);
        b.Property(x => x.Body).HasMaxLength(OutboxMessage.BodyMax);
        b.Property(x => x.LastError).HasMaxLength(OutboxMessage.ErrorMax);

        // The dispatcher's question: what is due (unsent rows keep a next-attempt time, sent and given-up ones none).
        b.HasIndex(x => x.NextAttemptAtUtc);
    }
}

internal sealed class LedgerFollowConfiguration : IEntityTypeConfiguration<LedgerFollow>
{
    public void Configure(EntityTypeBuilder<LedgerFollow> b)
    {
        b.Property(x => x.UserId).HasMaxLength(450);
        b.HasOne<LedgerItem>().WithMany().HasForeignKey(x => x.LedgerItemId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.LedgerItemId, x.UserId }).IsUnique();
        b.HasIndex(x => x.UserId);
    }
}
