using CommunityDeliberation.Deliberation.Bodies;
using CommunityDeliberation.Deliberation.Common;
using CommunityDeliberation.Deliberation.Identity;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Voting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommunityDeliberation.Deliberation.Persistence.Configurations;

internal sealed class PollConfiguration : IEntityTypeConfiguration<Poll>
{
    public void Configure(EntityTypeBuilder<Poll> b)
    {
        b.Property(x => x.Question).HasMaxLength(Limits.Question);
        b.HasOne<Session>().WithMany().HasForeignKey(x => x.SessionId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<AgendaItem>().WithMany().HasForeignKey(x => x.AgendaItemId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AppUser>().WithMany().HasForeignKey(x => x.OpenedByUserId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.SessionId, x.Status });
        b.Property(x => x.BallotCount).IsConcurrencyToken();
        b.ComplexProperty(x => x.Result, r =>
        {
            r.Property(t => t.Yes).HasColumnName("ResultYes");
            r.Property(t => t.No).HasColumnName("ResultNo");
            r.Property(t => t.Abstain).HasColumnName("ResultAbstain");
        });
    }
}

internal sealed class BallotConfiguration : IEntityTypeConfiguration<Ballot>
{
    public void Configure(EntityTypeBuilder<Ballot> b)
    {
        b.HasOne<Poll>().WithMany().HasForeignKey(x => x.PollId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Membership>().WithMany().HasForeignKey(x => x.MembershipId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AppUser>().WithMany().HasForeignKey(x => x.CastByUserId).OnDelete(DeleteBehavior.Restrict);
        // One person, one ballot: enforced by the database, whatever the callers race.
        b.HasIndex(x => new { x.PollId, x.MembershipId }).IsUnique().HasDatabaseName("UX_Ballots_Poll_Member");
    }
}
