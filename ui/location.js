export default function(component) {
  const { data, setTriggerValue, parentElement } = component;
  // Built here with its text at once (an empty button would have no accessible name, even for a moment).
  let button = parentElement.querySelector('button');
  let status = parentElement.querySelector('.status');
  if (!button) {
    button = document.createElement('button');
    button.type = 'button';
    status = document.createElement('span');
    status.className = 'status';
    status.setAttribute('role', 'status');
    button.textContent = data.label;
    parentElement.append(button, status);
  }
  button.textContent = data.label;
  button.onclick = () => {
    if (!navigator.geolocation) { setTriggerValue('position', {error: 'unsupported'}); return; }
    button.disabled = true;
    status.textContent = data.waiting;
    const done = (value) => { button.disabled = false; status.textContent = ''; setTriggerValue('position', value); };
    navigator.geolocation.getCurrentPosition(
      (p) => done({lat: p.coords.latitude, lon: p.coords.longitude}),
      (e) => done({error: e.code}),
      {enableHighAccuracy: false, timeout: 20000, maximumAge: 0});
  };
}
