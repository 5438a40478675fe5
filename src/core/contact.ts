/** How a contact is named on screen: their name, else their phone, else their id. */
export function contactDisplayName(c: {
  id: string;
  firstName?: string | null;
  lastName?: string | null;
  phone?: string | null;
}): string {
  const name = [c.firstName, c.lastName].filter((p) => p?.trim()).join(' ');
  return name || c.phone || c.id;
}
