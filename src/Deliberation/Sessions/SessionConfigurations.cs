using CommunityDeliberation.Deliberation.Bodies;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Shared.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommunityDeliberation.Deliberation.Sessions;

internal sealed class SessionConfiguration : IEntityTypeConfiguration<Session>
{
    public void Configure(EntityTypeBuilder<Session> b)
    {
        b.Property(x => x.Title).HasMaxLength(Limits.Title);
        b.Property(x => x.Place).HasMaxLength(Limits.Place);
        b.HasOne(x => x.Body).WithMany().HasForeignKey(x => x.BodyId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.Term).WithMany().HasForeignKey(x => x.TermId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AppUser>().WithMany().HasForeignKey(x => x.ChairUserId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AgendaItem>().WithMany().HasForeignKey(x => x.CurrentAgendaItemId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.TermId, x.Number }).IsUnique();
        b.HasIndex(x => x.ScheduledAtUtc);
        b.HasMany(x => x.Agenda).WithOne(a => a.Session).HasForeignKey(a => a.SessionId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(x => x.Agenda).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class AgendaItemConfiguration : IEntityTypeConfiguration<AgendaItem>
{
    public void Configure(EntityTypeBuilder<AgendaItem> b)
    {
        b.Property(x => x.Title).HasMaxLength(Limits.AgendaItemTitle);
        b.Property(x => x.Description).HasMaxLength(Limits.AgendaItemDescription);
        b.HasIndex(x => new { x.SessionId, x.Position }).IsUnique();
    }
}

internal sealed class AttendanceConfiguration : IEntityTypeConfiguration<Attendance>
{
    public void Configure(EntityTypeBuilder<Attendance> b)
    {
        b.HasOne<Session>().WithMany().HasForeignKey(x => x.SessionId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Membership>().WithMany().HasForeignKey(x => x.MembershipId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AppUser>().WithMany().HasForeignKey(x => x.CheckedInByUserId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.SessionId, x.MembershipId }).IsUnique();
    }
}
