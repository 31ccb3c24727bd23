using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CommunityDeliberation.Deliberation.Minutes;

/// <summary>
/// Signs every session-log entry as it is first saved, whichever feature appended it (<see cref="SessionLog.AppendAsync"/>
/// stays a plain add to the unit of work). Registered on every context the application makes (PersistenceSetup).
/// </summary>
public sealed class SessionLogSigning(SessionLogSigner signer) : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        SignAdded(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        SignAdded(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private void SignAdded(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        foreach (var entry in context.ChangeTracker.Entries<SessionLogEntry>())
        {
            if (entry.State == EntityState.Added && entry.Entity.Signature is null)
            {
                entry.Entity.Sign(signer);
            }
        }
    }
}
